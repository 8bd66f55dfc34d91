import type { FieldError } from '../../../errors.ts';
import { personIdUsingContact } from '../queries.ts';
import { mergeLookups, prefetch } from '../rule-lookups.ts';
import type { Contact, ContactInput } from '../types.ts';
import type { RuleContext } from './context.ts';
import { blank, type Checked, normalizeEmail, normalizeMobile } from './rules.ts';

/** Step 2 of the form: an e-mail and a mobile number, valid and used by no other person. */
export function createCheckContact(ctx: RuleContext) {
  const { db } = ctx;
  return async function checkContact(input: ContactInput, base = '/body', options: { exceptPersonId?: string } = {}): Promise<Checked<Contact>> {
    const errors: FieldError[] = [];
    let email: string | undefined;
    if (blank(input.email)) errors.push({ pointer: `${base}/email`, detail: 'L’adresse électronique est obligatoire.' });
    else {
      email = normalizeEmail(input.email);
      if (!email) errors.push({ pointer: `${base}/email`, detail: 'L’adresse électronique n’est pas valide (ex. prenom.nom@exemple.fr).' });
    }
    let mobile: string | undefined;
    if (blank(input.mobile)) errors.push({ pointer: `${base}/mobile`, detail: 'Le numéro de téléphone mobile est obligatoire.' });
    else {
      mobile = normalizeMobile(input.mobile);
      if (!mobile) {
        errors.push({
          pointer: `${base}/mobile`,
          detail: 'Le numéro de téléphone mobile n’est pas valide (ex. 06 12 34 56 78, ou +32 470 12 34 56 pour un numéro étranger).',
        });
      }
    }
    // Contact data are personal: never shared by two people (guide ANS). Both read in one statement.
    const loaded = options.exceptPersonId ? {} : mergeLookups(ctx.lookups, await prefetch(db, ctx.readsOf({ contact: input })));
    const inUse = async (field: 'email' | 'mobile', value: string) =>
      loaded.contactInUse?.(field, value) ?? Boolean(await personIdUsingContact(db, field, value, options.exceptPersonId));
    if (email && (await inUse('email', email))) {
      errors.push({ pointer: `${base}/email`, detail: 'Cette adresse électronique est déjà utilisée par une autre personne.' });
    }
    if (mobile && (await inUse('mobile', mobile))) {
      errors.push({ pointer: `${base}/mobile`, detail: 'Ce numéro de téléphone mobile est déjà utilisé par une autre personne.' });
    }
    return errors.length > 0 ? { value: undefined, errors } : { value: { email: email!, mobile: mobile! }, errors };
  };
}
