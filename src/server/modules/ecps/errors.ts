import { DomainError, declareProblem } from '../../errors.ts';

/** e-CPS errors (docs/ecps.md). Details are French and never carry personal data. */
export class EcpsIdentifierInvalidError extends DomainError {
  constructor(detail: string) {
    super('ecps-identifier-invalid', 400, detail, [{ pointer: '/body/idnps', detail }]);
  }
}

export class EcpsUnknownError extends declareProblem('ecps-unknown', 404, 'Aucun professionnel enregistré ne correspond à cet identifiant e-CPS.') {}

export class EcpsAlreadyActiveError extends declareProblem('ecps-already-active', 409, 'Cette e-CPS est déjà activée : connectez-vous avec Pro Santé Connect.') {}

export class EcpsSuspendedError extends declareProblem('ecps-suspended', 409, 'Aucune situation d’exercice active n’est enregistrée pour ce professionnel : l’e-CPS ne peut pas être activée. Rapprochez-vous de votre structure.') {}

export class ActivationCodeInvalidError extends DomainError {
  readonly attemptsLeft: number;
  constructor(attemptsLeft: number) {
    super(
      'activation-code-invalid',
      400,
      attemptsLeft > 0
        ? `Code incorrect. Il vous reste ${attemptsLeft} essai${attemptsLeft > 1 ? 's' : ''}.`
        : 'Code incorrect. Nombre d’essais atteint : demandez un nouveau code.',
      [{ pointer: '/body/code', detail: 'Code incorrect.' }],
    );
    this.attemptsLeft = attemptsLeft;
  }
}

export class ActivationCodeExpiredError extends declareProblem('activation-code-expired', 400, 'Aucun code valide : il a expiré, a déjà servi ou a épuisé ses essais. Demandez un nouveau code.', [{ pointer: '/body/code', detail: 'Demandez un nouveau code.' }]) {}

export class TooManyActivationCodesError extends DomainError {
  constructor(minutes: number) {
    super('too-many-activation-codes', 429, `Trop de demandes de code. Réessayez dans ${minutes} minute${minutes > 1 ? 's' : ''}.`);
  }
}
