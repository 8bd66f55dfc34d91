import { DomainError, type FieldError, declareProblem } from '../../errors.ts';

/** Business-rule violations of an onboarding form: 422 with every field named. */
export class OnboardingValidationError extends DomainError {
  constructor(errors: FieldError[], detail = 'Certaines informations ne sont pas valides : corrigez les champs signalés.') {
    super('onboarding-invalid', 422, detail, errors);
  }
}

/** Only an EJ known and open in FINESS can sign a contrat d'adhésion (guide ANS, étape 1). */
export class EntityNotContractableError extends DomainError {
  constructor(reason: 'unknown' | 'closed' | 'not-ej', pointer = '/body/ejFiness') {
    const detail = {
      unknown: 'Ce numéro FINESS est inconnu : seule une entité juridique enregistrée dans FINESS peut adhérer à RPPS+.',
      closed: 'Cette entité juridique est fermée dans FINESS : elle ne peut pas adhérer à RPPS+.',
      'not-ej': 'Ce numéro FINESS est celui d’un établissement (EG) : le contrat d’adhésion est signé par l’entité juridique (EJ).',
    }[reason];
    super(`ej-${reason === 'not-ej' ? 'not-legal-entity' : reason}`, 422, detail, [{ pointer, detail }]);
  }
}

export class ContractAlreadyExistsError extends DomainError {
  constructor(reason: 'active' | 'pending' | 'eg-contracts' = 'pending') {
    const detail = {
      active: 'Cette structure est déjà couverte par un contrat d’adhésion actif (le sien ou celui de son entité juridique). Si le représentant légal a changé, désignez son successeur.',
      pending: 'Une demande de contrat d’adhésion est déjà en cours pour cette structure (ou pour son entité juridique).',
      'eg-contracts': 'Des établissements de cette entité juridique ont leur propre contrat d’adhésion : un contrat pour toute l’entité n’est possible qu’après leur résiliation.',
    }[reason];
    super('contract-already-exists', 409, detail, [{ pointer: '/body/ejFiness', detail }]);
  }
}

export class ContractNotFoundError extends declareProblem('contract-not-found', 404, 'Aucun contrat d’adhésion accessible ne correspond à cet identifiant.') {}

export class ContractStateError extends DomainError {
  constructor(status: string, action: string) {
    super('contract-state', 409, `Le contrat est à l’état « ${status} » : l’opération « ${action} » n’est pas possible.`);
  }
}

export class NoActiveContractError extends declareProblem('no-active-contract', 409, 'Cette entité juridique n’a pas de contrat d’adhésion actif.') {}

export class HabilitationNotFoundError extends declareProblem('habilitation-not-found', 404, 'Aucune habilitation accessible ne correspond à cet identifiant.') {}

export class HabilitationAlreadyActiveError extends declareProblem('habilitation-already-active', 409, 'Cette personne est déjà habilitée comme gestionnaire sur cette entité juridique : modifiez son périmètre.') {}

export class HabilitationRevokedError extends declareProblem('habilitation-revoked', 409, 'Cette habilitation est révoquée : elle ne peut plus être modifiée.') {}

export class MandataireNotFoundError extends declareProblem('mandataire-not-found', 404, 'Aucun mandataire accessible ne correspond à cet identifiant.') {}

export class MandataireAlreadyDesignatedError extends declareProblem('mandataire-already-designated', 409, 'Cette personne est déjà mandataire de cette entité juridique.') {}

export class FileNotFoundError extends declareProblem('file-not-found', 404, 'Aucun document n’est disponible.') {}

export class SuccessionNotFoundError extends declareProblem('succession-not-found', 404, 'Aucune désignation de représentant légal ne correspond à cet identifiant.') {}

export class SuccessionPendingError extends declareProblem('succession-pending', 409, 'Une désignation de nouveau représentant légal attend déjà la décision de l’ANS pour ce contrat.') {}

export class SuccessionStateError extends declareProblem('succession-decided', 409, 'Cette désignation a déjà été traitée par l’ANS.') {}

export class StructureNotOrphanError extends declareProblem('structure-not-orphan', 409, 'Cet établissement n’a pas de professionnel actif privé de gestionnaire (un contrat actif le couvre, ou aucune situation n’est active) : rien à terminer.') {}
