import { DomainError, type FieldError, declareProblem } from '../../errors.ts';

/** The état civil comes from FranceConnect only: any attempt to send it is refused, nothing written. */
export class EtatCivilNotEditableError extends DomainError {
  constructor(errors: FieldError[]) {
    super('etat-civil-not-editable', 422, 'L’état civil provient de FranceConnect : il ne peut pas être modifié.', errors);
  }
}

/** Pre-registration needs a FranceConnect sign-in (the état civil is read from it). */
export class FranceConnectRequiredError extends declareProblem('franceconnect-required', 403, 'Connectez-vous avec FranceConnect pour vous pré-enregistrer.') {}

export class PreregistrationNotFoundError extends declareProblem('preregistration-not-found', 404, 'Aucune demande de pré-enregistrement ne correspond.') {}

/** Guide ANS: une seule demande en cours par personne. */
export class RequestAlreadyOpenError extends declareProblem('preregistration-already-open', 409, 'Vous avez déjà une demande de pré-enregistrement en cours : complétez-la ou retirez-la avant d’en commencer une autre.') {}

/** A file row whose person already waits in the EJ's queue: one request per person. */
export class RequestAlreadyPendingError extends DomainError {
  constructor(submittedOn: string) {
    super('preregistration-already-pending', 409, `Une demande est déjà en attente pour cette personne (demande du ${submittedOn}) : traitez-la dans la file des demandes.`);
  }
}

/** The request is no longer a draft (sent, decided or withdrawn): it cannot be changed. */
export class RequestNotEditableError extends declareProblem('preregistration-not-editable', 409, 'Cette demande a déjà été envoyée ou traitée : elle ne peut plus être modifiée.') {}

/** Another gestionnaire (or the professional) decided the request first. */
export class RequestAlreadyDecidedError extends declareProblem('preregistration-already-decided', 409, 'Cette demande a déjà été traitée (validée, refusée ou retirée) : rechargez la page.') {}

export class PreregistrationForbiddenError extends declareProblem('preregistration-forbidden', 403, 'Vous n’êtes pas habilité comme gestionnaire RPPS+ : vous ne pouvez pas traiter de demandes.') {}

/** The chosen EG has no active contract with RPPS+ (its EJ has not joined). */
export class EgNotOnboardedError extends DomainError {
  constructor(pointer: string) {
    super('eg-not-onboarded', 422, 'Cet établissement n’utilise pas RPPS+ : choisissez un établissement dont la structure a adhéré.', [
      { pointer, detail: 'Choisissez un établissement proposé par la recherche.' },
    ]);
  }
}

export class PreregistrationInvalidError extends DomainError {
  constructor(errors: FieldError[]) {
    super('register-invalid', 422, 'Certaines informations ne sont pas valides : corrigez les champs signalés.', errors);
  }
}
