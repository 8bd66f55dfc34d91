import { todayOf } from '../../../calendar.ts';
import type { FieldError } from '../../../errors.ts';
import { checkName } from '../names.ts';
import { communeFormat } from '../rule-lookups.ts';
import type { EtatCivil, EtatCivilInput } from '../types.ts';
import type { RuleContext } from './context.ts';
import { addYears, blank, type Checked, franceCountryCode, isIsoDate, maximumAge } from './rules.ts';

/** Birth name, usage name and first names, in the order of the form. */
function checkNames(input: EtatCivilInput, base: string, errors: FieldError[]) {
  const birthName = checkName(input.birthName, 'Le nom de naissance');
  if (!birthName.ok) errors.push({ pointer: `${base}/birthName`, detail: birthName.detail });
  let usageName: string | null = null;
  if (!blank(input.usageName)) {
    const u = checkName(input.usageName, 'Le nom d’usage');
    if (u.ok) usageName = u.value;
    else errors.push({ pointer: `${base}/usageName`, detail: u.detail });
  }

  const firstNames: string[] = [];
  const rawFirstNames = input.firstNames ?? [];
  if (rawFirstNames.length === 0 || rawFirstNames.every((f) => blank(f))) {
    errors.push({ pointer: `${base}/firstNames`, detail: 'Saisissez tous les prénoms, dans l’ordre de l’état civil.' });
  } else if (rawFirstNames.length > 10) {
    errors.push({ pointer: `${base}/firstNames`, detail: 'Dix prénoms au plus.' });
  } else {
    rawFirstNames.forEach((f, i) => {
      const c = checkName(f, `Le prénom n° ${i + 1}`);
      if (c.ok) firstNames.push(c.value);
      else errors.push({ pointer: `${base}/firstNames/${i}`, detail: c.detail });
    });
  }
  return { birthName, usageName, firstNames };
}

/** A real past date, the person at most 120 years old today. */
function checkBirthDate(raw: string | null | undefined, today: string, pointer: string, errors: FieldError[]) {
  if (blank(raw)) errors.push({ pointer, detail: 'La date de naissance est obligatoire.' });
  else if (!isIsoDate(raw)) errors.push({ pointer, detail: 'Date attendue au format AAAA-MM-JJ.' });
  else if (raw > today) errors.push({ pointer, detail: 'La date de naissance ne peut pas être dans le futur.' });
  else if (raw < addYears(today, -maximumAge)) {
    errors.push({ pointer, detail: `La date de naissance doit être postérieure au ${addYears(today, -maximumAge)}.` });
  } else return raw;
  return undefined;
}

/** The birth place of a checked country: a commune that existed that day in France, free text abroad. */
async function checkBirthPlace(
  ctx: RuleContext,
  input: EtatCivilInput,
  country: string | undefined,
  birthDate: string | undefined,
  base: string,
  errors: FieldError[],
) {
  let birthCommuneCode: string | null = null;
  let birthPlace: string | null = null;
  if (country === franceCountryCode) {
    const commune = input.birthCommuneCode?.trim().toUpperCase();
    if (!commune) {
      errors.push({ pointer: `${base}/birthCommuneCode`, detail: 'La commune de naissance est obligatoire pour une naissance en France.' });
    } else if (!communeFormat.test(commune)) {
      errors.push({ pointer: `${base}/birthCommuneCode`, detail: 'Le code INSEE de la commune comporte 5 caractères (ex. 69123).' });
    } else {
      const existed = ctx.lookups.commune?.(commune, birthDate) ?? (await ctx.communeRead(commune, birthDate));
      if (existed === 'unknown') errors.push({ pointer: `${base}/birthCommuneCode`, detail: `Aucune commune ne porte le code INSEE ${commune}.` });
      else if (existed === 'not-at-date') {
        errors.push({ pointer: `${base}/birthCommuneCode`, detail: `La commune ${commune} n’existait pas à la date de naissance.` });
      } else birthCommuneCode = commune;
    }
  } else if (country) {
    if (!blank(input.birthCommuneCode)) {
      errors.push({ pointer: `${base}/birthCommuneCode`, detail: 'La commune de naissance ne se renseigne que pour une naissance en France.' });
    }
    if (!blank(input.birthPlace)) {
      birthPlace = input.birthPlace.trim().replace(/\s+/g, ' ');
      if (birthPlace.length > 100) errors.push({ pointer: `${base}/birthPlace`, detail: 'Le lieu de naissance ne peut dépasser 100 caractères.' });
    }
  }
  return { birthCommuneCode, birthPlace };
}

/** Step 1 of the form: the état civil, its codes read from the referential and its commune at the birth date. */
export function createCheckEtatCivil(ctx: RuleContext) {
  return async function checkEtatCivil(input: EtatCivilInput, base = '/body'): Promise<Checked<EtatCivil>> {
    const errors: FieldError[] = [];
    const today = todayOf(ctx.clock);
    const civilite = await ctx.code('civilite', input.civilite, today, `${base}/civilite`, 'La civilité', errors);
    const sexe = await ctx.code('sexe', input.sexe, today, `${base}/sexe`, 'Le sexe', errors);
    const { birthName, usageName, firstNames } = checkNames(input, base, errors);
    const birthDate = checkBirthDate(input.birthDate, today, `${base}/birthDate`, errors);
    const country = await ctx.code('country', input.birthCountryCode, today, `${base}/birthCountryCode`, 'Le pays de naissance', errors);
    const { birthCommuneCode, birthPlace } = await checkBirthPlace(ctx, input, country, birthDate, base, errors);

    if (errors.length > 0) return { value: undefined, errors };
    return {
      value: {
        civilite: civilite!,
        sexe: sexe!,
        birthName: (birthName as { value: string }).value,
        usageName,
        firstNames,
        birthDate: birthDate!,
        birthCountryCode: country!,
        birthCommuneCode,
        birthPlace,
      },
      errors,
    };
  };
}
