import { DomainError } from '../../errors.ts';

/** "Mon espace" lists a signed-in person's tasks: an API key has none. */
export class MySpaceForbiddenError extends DomainError {
  constructor() {
    super('my-space-forbidden', 403, 'Connectez-vous pour voir ce qui vous attend dans votre espace.');
  }
}
