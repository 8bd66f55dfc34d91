import { contractDecisionUseCases } from './contract-decision.ts';
import { contractReadUseCases } from './contract-reads.ts';
import { contractRequestUseCases } from './contract-request.ts';
import { onboardingContext, type OnboardingDeps } from './context.ts';
import { entityUseCases } from './entity.ts';
import { habilitationUseCases } from './habilitations.ts';
import { homeUseCases } from './home.ts';
import { mandataireUseCases } from './mandataires.ts';

export type { OnboardingDeps } from './context.ts';
export type { ContractRequestInput } from './contract-request.ts';
export type { HabilitationPatch } from './habilitations.ts';
export type { HabilitationInput } from './validation.ts';

/**
 * The onboarding service: contracts, the contracting entity, mandataires, habilitations and the
 * home page. One use-case file per group, each over the shared context (context.ts).
 */
export function createOnboardingService(deps: OnboardingDeps) {
  const ctx = onboardingContext(deps);
  return {
    ...contractRequestUseCases(ctx),
    ...contractDecisionUseCases(ctx),
    ...contractReadUseCases(ctx),
    ...entityUseCases(ctx),
    ...mandataireUseCases(ctx),
    ...habilitationUseCases(ctx),
    ...homeUseCases(ctx),
  };
}

export type OnboardingService = ReturnType<typeof createOnboardingService>;
