import { DomainError, type FieldError, NotFoundError } from '../../errors.ts';

/** Business-rule violations of a registration form or import row: 422 with every field named. */
export class RegisterValidationError extends DomainError {
  constructor(errors: FieldError[]) {
    super('register-invalid', 422, 'Certaines informations ne sont pas valides : corrigez les champs signalés.', errors);
  }
}

/**
 * What a caller may see of a candidate duplicate (issue 15, docs/register.md#what-a-structure-learns).
 * `inScope`: the person has a situation in an EG of the caller's current scope, and the other
 * fields identify him; otherwise they are all null: "a close identity is already registered".
 */
export interface DuplicateCandidate {
  inScope: boolean;
  rpps: string | null;
  exerciseLastName: string | null;
  exerciseFirstName: string | null;
  birthYear: number | null;
}

/** A person looking like the one being registered already has a number (never merged automatically). */
export class DuplicatePersonError extends DomainError {
  readonly candidates: DuplicateCandidate[];
  constructor(candidates: DuplicateCandidate[]) {
    super(
      'duplicate-person',
      409,
      candidates.some((c) => !c.inScope)
        ? 'Une identité proche est déjà enregistrée. Vous pouvez continuer : l’ANS vérifiera. Si vous connaissez son numéro RPPS, ajoutez-lui une situation d’exercice au lieu de l’enregistrer à nouveau.'
        : 'Une ou plusieurs personnes déjà enregistrées ressemblent à celle-ci. Vérifiez qu’il ne s’agit pas de la même personne : si c’est le cas, ajoutez-lui une situation d’exercice au lieu de l’enregistrer à nouveau.',
    );
    this.candidates = candidates;
    this.extensions = { candidates };
  }
}

/** The exact same identity is already registered: a second number is never allocated. */
export class IdentityAlreadyRegisteredError extends DomainError {
  readonly candidates: DuplicateCandidate[];
  constructor(candidates: DuplicateCandidate[]) {
    super(
      'identity-already-registered',
      409,
      'Cette personne est déjà enregistrée au RPPS (même nom de naissance, prénoms, sexe et date de naissance). Ajoutez-lui une situation d’exercice avec son numéro RPPS.',
    );
    this.candidates = candidates;
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
  readonly rpps: string | null;
  constructor(rpps: string | null) {
    super('draft-submitted', 409, 'Cet enregistrement a déjà été envoyé : il ne peut plus être modifié.');
    this.rpps = rpps;
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

/** Too many identity checks (duplicate searches, identifications) for this account or API key. */
export class IdentityChecksExhaustedError extends DomainError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super(
      'identity-checks-exhausted',
      429,
      `Trop de vérifications d’identité pour ce compte : réessayez dans ${Math.max(1, Math.ceil(retryAfterSeconds / 60))} min. Pour un import de grande taille, contactez le support de l’ANS.`,
    );
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** Identification locked after a run of failures (issue 15): no hint on the person. */
export class IdentificationLockedError extends DomainError {
  readonly retryAfterSeconds: number;
  constructor(retryAfterSeconds: number) {
    super(
      'identification-locked',
      423,
      `Trop de tentatives d’identification sans résultat : la recherche d’un professionnel par son identité est suspendue pour ce compte pendant ${Math.max(1, Math.ceil(retryAfterSeconds / 60))} min. Vérifiez le numéro RPPS et l’identité auprès du professionnel.`,
    );
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

export class DraftStructureRequiredError extends DomainError {
  constructor() {
    super('register-invalid', 422, 'Vous êtes gestionnaire de plusieurs structures : choisissez celle pour laquelle vous enregistrez ce professionnel.', [
      { pointer: '/body/ejFiness', detail: 'Choisissez une entité juridique de votre périmètre.' },
    ]);
  }
}

export class SituationReportNotFoundError extends NotFoundError {
  constructor() {
    super('Ce lien de signalement n’est pas valide ou a expiré.', 'situation-report-not-found');
  }
}
