import { DomainError, type FieldError, NotFoundError } from '../../errors.ts';

/** Business-rule violations of a registration form or import row: 422 with every field named. */
export class RegisterValidationError extends DomainError {
  constructor(errors: FieldError[]) {
    super('register-invalid', 422, 'Certaines informations ne sont pas valides : corrigez les champs signalés.', errors);
  }
}

/** What a gestionnaire may see of a candidate duplicate: nothing beyond what identifies it. */
export interface DuplicateCandidate {
  /** CONTRACT.md: true = the person has a situation in the caller's scope (the fields below are filled). */
  inScope: boolean;
  rpps: string;
  exerciseLastName: string | null;
  exerciseFirstName: string | null;
  birthYear: number;
}

/** A person looking like the one being registered already has a number (never merged automatically). */
export class DuplicatePersonError extends DomainError {
  constructor(readonly candidates: DuplicateCandidate[]) {
    super(
      'duplicate-person',
      409,
      'Une ou plusieurs personnes déjà enregistrées ressemblent à celle-ci. Vérifiez qu’il ne s’agit pas de la même personne : si c’est le cas, ajoutez-lui une situation d’exercice au lieu de l’enregistrer à nouveau.',
    );
    this.extensions = { candidates };
  }
}

/** The exact same identity is already registered: a second number is never allocated. */
export class IdentityAlreadyRegisteredError extends DomainError {
  constructor(readonly candidates: DuplicateCandidate[]) {
    super(
      'identity-already-registered',
      409,
      'Cette personne est déjà enregistrée au RPPS (même nom de naissance, prénoms, sexe et date de naissance). Ajoutez-lui une situation d’exercice avec son numéro RPPS.',
    );
    this.extensions = { candidates };
  }
}

export class RppsRangeExhaustedError extends DomainError {
  constructor(end: number) {
    super(
      'rpps-range-exhausted',
      503,
      `La plage de numéros RPPS réservée à cette instance est épuisée (dernier numéro possible : ${end}). Aucun numéro n’a été attribué ; l’exploitant doit configurer une nouvelle plage (RPPS_RANGE_START / RPPS_RANGE_END).`,
    );
  }
}

export class EgOutOfScopeError extends DomainError {
  constructor(pointer: string) {
    super('eg-out-of-scope', 403, 'Cet établissement ne fait pas partie de votre périmètre de gestionnaire.', [
      { pointer, detail: 'Choisissez un établissement de votre périmètre.' },
    ]);
  }
}

export class SituationNotFoundError extends NotFoundError {
  constructor() {
    super('Aucune situation d’exercice de votre périmètre ne correspond.', 'situation-not-found');
  }
}

/** Also raised when the identity given does not match the number: no hint on which part differs. */
export class PersonNotFoundError extends NotFoundError {
  constructor() {
    super('Aucun professionnel ne correspond à ces informations.', 'person-not-found');
  }
}

export class SituationAlreadyExistsError extends DomainError {
  constructor() {
    super('situation-exists', 409, 'Ce professionnel a déjà une situation active pour cette profession dans cet établissement.');
  }
}

export class SituationNotActiveError extends DomainError {
  constructor() {
    super('situation-not-active', 409, 'Cette situation d’exercice n’est plus active : elle ne peut plus être modifiée.');
  }
}

export class DraftNotFoundError extends NotFoundError {
  constructor() {
    super('Aucun enregistrement en cours ne correspond.', 'draft-not-found');
  }
}

export class DraftAlreadySubmittedError extends DomainError {
  constructor(readonly rpps: string | null) {
    super('draft-submitted', 409, 'Cet enregistrement a déjà été envoyé : il ne peut plus être modifié.');
  }
}

/** Submission of a draft with a missing step: 422 naming each step (nothing written). */
export class DraftIncompleteError extends DomainError {
  constructor(errors: FieldError[]) {
    super('register-invalid', 422, 'Des étapes de l’enregistrement ne sont pas complétées.', errors);
  }
}

export class RegisterForbiddenError extends DomainError {
  constructor() {
    super('register-forbidden', 403, 'Vous n’êtes pas habilité comme gestionnaire RPPS+ : vous ne pouvez pas enregistrer ni consulter de professionnels.');
  }
}
