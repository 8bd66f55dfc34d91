import { declareProblem } from '../../errors.ts';

export class OutboxMailNotFoundError extends declareProblem('outbox-mail-not-found', 404, 'Aucun message ne porte cet identifiant dans la boîte d’envoi.') {}
