import { DomainError, declareProblem } from '../../errors.ts';

/** "Mon dossier RPPS" is for a registered professional signed in with Pro Santé Connect (e-CPS or card). */
export class RecordForbiddenError extends declareProblem('record-forbidden', 403, 'Connectez-vous avec Pro Santé Connect (e-CPS ou carte) pour consulter votre dossier RPPS.') {}

export class RecordNotFoundError extends declareProblem('record-not-found', 404, 'Aucun dossier RPPS ne correspond à votre identifiant.') {}

export class ContactChangeNotFoundError extends declareProblem('contact-change-not-found', 404, 'Aucune modification en attente ne correspond.') {}

/** Expired, already used, or too many wrong codes: ask for a new code. */
export class ContactChangeClosedError extends declareProblem('contact-change-closed', 409, 'Ce code n’est plus valable (expiré, déjà utilisé ou trop d’essais) : demandez un nouveau code.') {}

export class WrongCodeError extends DomainError {
  constructor(remaining: number) {
    super('contact-change-wrong-code', 422, `Le code saisi est incorrect. Essais restants : ${remaining}.`, [{ pointer: '/body/code', detail: 'Code incorrect.' }]);
  }
}
