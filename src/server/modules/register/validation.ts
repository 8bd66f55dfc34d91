import { mergeLookups, prefetch, type RegisterLookups } from './rule-lookups.ts';
import type { ContactInput, EtatCivilInput, SituationInput } from './types.ts';
import { createCheckContact } from './validation/contact.ts';
import { createRuleContext, type RegisterValidationDeps } from './validation/context.ts';
import { createCheckEtatCivil } from './validation/etat-civil.ts';
import { createCheckRegistration } from './validation/registration.ts';
import { required } from './validation/rules.ts';
import { createCheckEg, createCheckSituation, createCheckStartDate } from './validation/situation.ts';

export {
  addYears,
  type Checked,
  checkDeclarations,
  franceCountryCode,
  isIsoDate,
  maximumAge,
  maximumStartDaysAhead,
  minimumAgeAtStart,
  normalizeEmail,
  normalizeMobile,
  throwIfErrors,
} from './validation/rules.ts';
export type { RegisterLookups, RuleStructure } from './rule-lookups.ts';

/**
 * The rules of the register, shared by the wizard routes, the pre-registration and bulk import,
 * one rule group a file under validation/ (état civil, contact, situation, the whole registration)
 * over one shared context: each `check*` returns the normalized value and every field error (JSON
 * pointers under `base`, French messages); each `validate*` throws them as one 422 problem.
 */
export function createRegisterValidation(deps: RegisterValidationDeps) {
  const ctx = createRuleContext(deps);
  /** These rules with more answers loaded beforehand (the lookups given first). */
  const withLookups = (more: RegisterLookups) => createRegisterValidation({ ...deps, lookups: mergeLookups(deps.lookups ?? {}, more) });
  const checkEtatCivil = createCheckEtatCivil(ctx);
  const checkContact = createCheckContact(ctx);
  const checkEg = createCheckEg(ctx);
  const checkStartDate = createCheckStartDate(ctx);
  const checkSituation = createCheckSituation(ctx, { checkEg, checkStartDate });
  const checkRegistration = createCheckRegistration(ctx, { checkEtatCivil, checkContact, checkSituation, withLookups });

  return {
    checkEtatCivil,
    checkContact,
    checkSituation,
    checkRegistration,
    checkEg,
    checkStartDate,
    code: ctx.code,
    withLookups,
    /** These rules with what `input` makes them read loaded in one statement beforehand. */
    preloaded: async (input: Parameters<typeof ctx.readsOf>[0]) => withLookups(await prefetch(ctx.db, ctx.readsOf(input))),
    /** A structure as these rules' lookups know it (`undefined`: not loaded). */
    knownStructure: (finess: string) => ctx.lookups.structure?.(finess),
    validateEtatCivil: async (input: EtatCivilInput, base?: string) => required(await checkEtatCivil(input, base)),
    validateContact: async (input: ContactInput, base?: string, options?: { exceptPersonId?: string }) =>
      required(await checkContact(input, base, options)),
    validateSituation: async (input: SituationInput, base?: string, context?: Parameters<typeof checkSituation>[2]) =>
      required(await checkSituation(input, base, context)),
  };
}
export type RegisterValidation = ReturnType<typeof createRegisterValidation>;
