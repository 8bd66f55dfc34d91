import type { FieldError } from '../../../errors.ts';
import { prefetch, type RegisterLookups } from '../rule-lookups.ts';
import type { Contact, ContactInput, EtatCivil, EtatCivilInput, Situation, SituationInput } from '../types.ts';
import type { RuleContext } from './context.ts';
import type { createCheckContact } from './contact.ts';
import type { createCheckEtatCivil } from './etat-civil.ts';
import type { Checked } from './rules.ts';
import type { createCheckSituation } from './situation.ts';

export interface RegistrationInputs {
  etatCivil: EtatCivilInput;
  contact: ContactInput;
  situation: SituationInput;
}

export interface CheckedRegistration {
  etatCivil: Checked<EtatCivil>;
  contact: Checked<Contact>;
  situation: Checked<Situation>;
  errors: FieldError[];
}

export type CheckRegistration = (input: RegistrationInputs, base?: string) => Promise<CheckedRegistration>;

/**
 * A whole registration (wizard submission, bulk import row): état civil, contact, then the
 * situation, whose exercise names default to the birth name and first first name. `base` is
 * the pointer prefix of the three parts ('/body' for the API, '' for a file's row).
 */
export function createCheckRegistration(
  ctx: RuleContext,
  parts: {
    checkEtatCivil: ReturnType<typeof createCheckEtatCivil>;
    checkContact: ReturnType<typeof createCheckContact>;
    checkSituation: ReturnType<typeof createCheckSituation>;
    /** The same rules with more answers loaded beforehand (the composition's `withLookups`). */
    withLookups: (more: RegisterLookups) => { checkRegistration: CheckRegistration };
  },
): CheckRegistration {
  const { checkEtatCivil, checkContact, checkSituation, withLookups } = parts;
  return async function checkRegistration(input, base = '/body') {
    // What the three parts read (structure, commune, contacts), in one round trip.
    const reads = ctx.readsOf(input);
    const rules = Object.keys(reads).length === 0 ? undefined : withLookups(await prefetch(ctx.db, reads));
    if (rules) return rules.checkRegistration(input, base);
    const etatCivil = await checkEtatCivil(input.etatCivil, `${base}/etatCivil`);
    const contact = await checkContact(input.contact, `${base}/contact`);
    const situation = await checkSituation(input.situation, `${base}/situation`, {
      birthDate: etatCivil.value?.birthDate,
      defaultLastName: input.etatCivil.birthName,
      defaultFirstName: input.etatCivil.firstNames?.[0],
    });
    return { etatCivil, contact, situation, errors: [...etatCivil.errors, ...contact.errors, ...situation.errors] };
  };
}
