import { preregistrationContext, type PreregistrationDeps } from './context.ts';
import { gestionnaireUseCases } from './decisions.ts';
import { professionalUseCases } from './professional.ts';
import { reminderUseCases } from './reminders.ts';

export type { PreregistrationDeps } from './context.ts';
export { etatCivilFromFranceConnect, etatCivilKeys, refuseEtatCivil } from './etat-civil.ts';
export { createRequestFromFile, type FileRequestInput } from './file-requests.ts';
export type { DraftInput, ValidateInput } from './types.ts';

/**
 * The pre-registration service: the professional's requests, the gestionnaire's queue and
 * decisions, the reminder job. One use-case file per side, over the shared context (context.ts).
 */
export function createPreregistrationService(deps: PreregistrationDeps) {
  const context = preregistrationContext(deps);
  return {
    ...professionalUseCases(context),
    ...gestionnaireUseCases(context),
    ...reminderUseCases(context),
  };
}

export type PreregistrationService = ReturnType<typeof createPreregistrationService>;
