import { NotFoundError } from '../../errors.ts';

export class OutboxMailNotFoundError extends NotFoundError {
  constructor() {
    super('Aucun message ne porte cet identifiant dans la boîte d’envoi.', 'outbox-mail-not-found');
  }
}
