import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { addDays, todayOf } from '../../calendar.ts';
import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import { type FieldError, ValidationError } from '../../errors.ts';
import { checkFiness } from '../../identifiers.ts';
import { cachedCode, cachedCommune, rememberCommune } from '../referential/code-cache.ts';
import { createReferentialService, isSelectable } from '../referential/service.ts';
import type { NomenclatureKind } from '../referential/schemas.ts';
import { RegisterValidationError } from './errors.ts';
import { checkExerciseName, checkName } from './names.ts';
import { communeExistedIn, communeRows, personIdUsingContact } from './queries.ts';
import { communeFormat, mergeLookups, prefetch, type ReadsOf, type RegisterLookups } from './rule-lookups.ts';
import type { Contact, ContactInput, EtatCivil, EtatCivilInput, Situation, SituationInput } from './types.ts';

/**
 * The rules of the register, shared by the wizard routes, the pre-registration and bulk import:
 * each `check*` returns the normalized value and every field error (JSON pointers under `base`,
 * French messages); each `validate*` throws them as one 422 problem.
 */
export interface Checked<T> {
  value: T | undefined;
  errors: FieldError[];
}

/** "Age ≥ 14 at the start date": the minimum working age of the Code du travail (L4153-1 exceptions from 14). */
export const minimumAgeAtStart = 14;
export const maximumAge = 120;
/** A start date further ahead is a typo (2062 for 2026), not a planned hire. */
export const maximumStartDaysAhead = 366;

export function isIsoDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

export function addYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  // 29 February + n years falls on 1 March when the target year is not a leap year.
  const target = new Date(Date.UTC(y + years, m - 1, d));
  return target.toISOString().slice(0, 10);
}

const blank = (v: string | null | undefined): v is null | undefined => v === null || v === undefined || v.trim() === '';

export function normalizeEmail(raw: string): string | undefined {
  const email = raw.trim().toLowerCase();
  if (email.length > 254 || !/^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$/.test(email)) {
    return undefined;
  }
  if (email.split('@')[0]!.length > 64) return undefined;
  return email;
}

/** A French or international mobile number, in E.164; undefined when not a valid mobile number. */
export function normalizeMobile(raw: string): string | undefined {
  const phone = parsePhoneNumberFromString(raw.trim(), { defaultCountry: 'FR' });
  if (!phone || !phone.isValid()) return undefined;
  const type = phone.getType();
  if (type !== 'MOBILE' && type !== 'FIXED_LINE_OR_MOBILE') return undefined;
  return phone.number;
}

export function throwIfErrors(errors: FieldError[]): void {
  if (errors.length > 0) throw new RegisterValidationError(errors);
}

function required<T>(checked: Checked<T>): T {
  throwIfErrors(checked.errors);
  return checked.value!;
}

/**
 * Step 4 of the form: the two legal declarations (DOMAIN.md; guide ANS: état civil and contact
 * collected face to face). The wizard, the validation of a pre-registration request and a bulk
 * import's batch all check them here.
 */
export function checkDeclarations(d: { accurateAndInformed?: boolean | null; metInPerson?: boolean | null } | null | undefined, base: string): FieldError[] {
  const errors: FieldError[] = [];
  if (d?.accurateAndInformed !== true) {
    errors.push({ pointer: `${base}/accurateAndInformed`, detail: 'Attestez que les données sont exactes et que le professionnel a été informé de ses droits.' });
  }
  if (d?.metInPerson !== true) errors.push({ pointer: `${base}/metInPerson`, detail: 'Attestez avoir rencontré le professionnel en personne.' });
  return errors;
}

export const franceCountryCode = '99100';

export type { RegisterLookups, RuleStructure } from './rule-lookups.ts';

export function createRegisterValidation(deps: { db: Database; clock: Clock; lookups?: RegisterLookups }) {
  const { db, clock } = deps;
  // The communes read before in this process answer after the given lookups (referential/code-cache.ts).
  const lookups = mergeLookups(deps.lookups ?? {}, {
    commune: (code, on) => {
      const rows = cachedCommune(db, code);
      return rows ? communeExistedIn(rows, on) : undefined;
    },
  });
  const referential = createReferentialService(deps);

  /** The reads of these inputs that the lookups do not answer, as the rules would make them. */
  function readsOf(input: { etatCivil?: EtatCivilInput; contact?: ContactInput; situation?: SituationInput }): ReadsOf {
    const reads: ReadsOf = {};
    const f = blank(input.situation?.egFiness) ? undefined : checkFiness(input.situation.egFiness);
    if (f?.valid && lookups.structure?.(f.finess) === undefined) reads.finess = f.finess;
    const commune = input.etatCivil?.birthCommuneCode?.trim().toUpperCase();
    if (commune && communeFormat.test(commune) && lookups.commune?.(commune, undefined) === undefined) reads.commune = commune;
    const email = blank(input.contact?.email) ? undefined : normalizeEmail(input.contact.email);
    if (email && lookups.contactInUse?.('email', email) === undefined) reads.email = email;
    const mobile = blank(input.contact?.mobile) ? undefined : normalizeMobile(input.contact.mobile);
    if (mobile && lookups.contactInUse?.('mobile', mobile) === undefined) reads.mobile = mobile;
    return reads;
  }

  /** These rules with more answers loaded beforehand (the lookups given first). */
  const withLookups = (more: RegisterLookups) => createRegisterValidation({ ...deps, lookups: mergeLookups(deps.lookups ?? {}, more) });

  /** A commune read from the database, kept for the next registrations. */
  async function communeRead(inseeCode: string, on: string | undefined) {
    const rows = await communeRows(db, inseeCode);
    rememberCommune(db, inseeCode, rows);
    return communeExistedIn(rows, on);
  }

  /** Referential check, its error collected instead of thrown. */
  async function code(kind: NomenclatureKind, value: string | null | undefined, on: string, pointer: string, label: string, errors: FieldError[]) {
    if (blank(value)) {
      errors.push({ pointer, detail: `${label} est obligatoire.` });
      return undefined;
    }
    // Known and selectable: the answer the referential would give. Anything else goes to it (its messages).
    const known = lookups.code?.(kind, value.trim()) ?? (await cachedCode(db, kind, value.trim()));
    if (known && isSelectable(known, on)) return known.code;
    try {
      return (await referential.requireSelectable(kind, value.trim(), on, pointer)).code;
    } catch (err) {
      if (err instanceof ValidationError) {
        errors.push(...err.errors);
        return undefined;
      }
      throw err;
    }
  }

  async function checkEtatCivil(input: EtatCivilInput, base = '/body'): Promise<Checked<EtatCivil>> {
    const errors: FieldError[] = [];
    const today = todayOf(clock);
    const civilite = await code('civilite', input.civilite, today, `${base}/civilite`, 'La civilité', errors);
    const sexe = await code('sexe', input.sexe, today, `${base}/sexe`, 'Le sexe', errors);

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

    let birthDate: string | undefined;
    if (blank(input.birthDate)) errors.push({ pointer: `${base}/birthDate`, detail: 'La date de naissance est obligatoire.' });
    else if (!isIsoDate(input.birthDate)) errors.push({ pointer: `${base}/birthDate`, detail: 'Date attendue au format AAAA-MM-JJ.' });
    else if (input.birthDate > today) errors.push({ pointer: `${base}/birthDate`, detail: 'La date de naissance ne peut pas être dans le futur.' });
    else if (input.birthDate < addYears(today, -maximumAge)) {
      errors.push({ pointer: `${base}/birthDate`, detail: `La date de naissance doit être postérieure au ${addYears(today, -maximumAge)}.` });
    } else birthDate = input.birthDate;

    const country = await code('country', input.birthCountryCode, today, `${base}/birthCountryCode`, 'Le pays de naissance', errors);
    let birthCommuneCode: string | null = null;
    let birthPlace: string | null = null;
    if (country === franceCountryCode) {
      const commune = input.birthCommuneCode?.trim().toUpperCase();
      if (!commune) {
        errors.push({ pointer: `${base}/birthCommuneCode`, detail: 'La commune de naissance est obligatoire pour une naissance en France.' });
      } else if (!communeFormat.test(commune)) {
        errors.push({ pointer: `${base}/birthCommuneCode`, detail: 'Le code INSEE de la commune comporte 5 caractères (ex. 69123).' });
      } else {
        const existed = lookups.commune?.(commune, birthDate) ?? (await communeRead(commune, birthDate));
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
  }

  async function checkContact(input: ContactInput, base = '/body', options: { exceptPersonId?: string } = {}): Promise<Checked<Contact>> {
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
    const loaded = options.exceptPersonId ? {} : mergeLookups(lookups, await prefetch(db, readsOf({ contact: input })));
    const inUse = async (field: 'email' | 'mobile', value: string) =>
      loaded.contactInUse?.(field, value) ?? Boolean(await personIdUsingContact(db, field, value, options.exceptPersonId));
    if (email && (await inUse('email', email))) {
      errors.push({ pointer: `${base}/email`, detail: 'Cette adresse électronique est déjà utilisée par une autre personne.' });
    }
    if (mobile && (await inUse('mobile', mobile))) {
      errors.push({ pointer: `${base}/mobile`, detail: 'Ce numéro de téléphone mobile est déjà utilisé par une autre personne.' });
    }
    return errors.length > 0 ? { value: undefined, errors } : { value: { email: email!, mobile: mobile! }, errors };
  }

  /** The EG rules, shared by a new situation and a change of EG. */
  async function checkEg(raw: string | null | undefined, pointer: string, errors: FieldError[]) {
    if (blank(raw)) {
      errors.push({ pointer, detail: 'L’établissement (numéro FINESS géographique) est obligatoire.' });
      return undefined;
    }
    const finess = checkFiness(raw);
    if (!finess.valid) {
      errors.push({ pointer, detail: finess.message });
      return undefined;
    }
    const loaded = lookups.structure?.(finess.finess);
    const eg = loaded === undefined ? (await prefetch(db, { finess: finess.finess })).structure!(finess.finess) : loaded;
    if (!eg) errors.push({ pointer, detail: `Aucune structure ne porte le numéro FINESS ${finess.finess}.` });
    else if (eg.kind !== 'EG') {
      errors.push({ pointer, detail: `${finess.finess} est une entité juridique : choisissez un de ses établissements géographiques (EG).` });
    } else if (eg.closedOn !== null && eg.closedOn <= todayOf(clock)) {
      errors.push({ pointer, detail: `L’établissement ${finess.finess} est fermé depuis le ${eg.closedOn}.` });
    } else return eg;
    return undefined;
  }

  /** Start-date rules: a real date, not before the EG opened, the person at least 14 that day. */
  function checkStartDate(
    startDate: string | null | undefined,
    context: { openedOn: string | null | undefined; birthDate: string | undefined },
    pointer: string,
    errors: FieldError[],
  ) {
    if (blank(startDate)) {
      errors.push({ pointer, detail: 'La date de prise de fonction est obligatoire.' });
      return undefined;
    }
    if (!isIsoDate(startDate)) {
      errors.push({ pointer, detail: 'Date attendue au format AAAA-MM-JJ.' });
      return undefined;
    }
    const length = errors.length;
    if (startDate > addDays(todayOf(clock), maximumStartDaysAhead)) {
      errors.push({ pointer, detail: 'La date de prise de fonction ne peut pas dépasser un an à compter d’aujourd’hui.' });
    }
    if (context.openedOn && startDate < context.openedOn) {
      errors.push({ pointer, detail: `La date de prise de fonction ne peut pas précéder l’ouverture de l’établissement (${context.openedOn}).` });
    }
    if (context.birthDate && startDate < addYears(context.birthDate, minimumAgeAtStart)) {
      errors.push({ pointer, detail: `Le professionnel doit avoir au moins ${minimumAgeAtStart} ans à la date de prise de fonction.` });
    }
    return errors.length === length ? startDate : undefined;
  }

  async function checkSituation(
    input: SituationInput,
    base = '/body',
    /** Defaults of the exercise names: the birth name and first first name as typed (not normalized). */
    context: { birthDate?: string; defaultLastName?: string | null; defaultFirstName?: string | null } = {},
  ): Promise<Checked<Situation>> {
    const errors: FieldError[] = [];
    const today = todayOf(clock);
    const eg = await checkEg(input.egFiness, `${base}/egFiness`, errors);
    const profession = await code('profession', input.professionCode, today, `${base}/professionCode`, 'La profession', errors);
    const role = await code('role', input.roleCode, today, `${base}/roleCode`, 'Le rôle', errors);
    let mode: string | undefined;
    if (input.modeCode?.trim().toUpperCase() === 'L') {
      errors.push({
        pointer: `${base}/modeCode`,
        detail: 'Le portail RPPS+ ne permet pas l’enregistrement des professionnels libéraux : seul le mode d’exercice salarié est accepté. Un professionnel libéral s’enregistre auprès de son ordre ou de son ARS.',
      });
    } else mode = await code('mode-exercice', input.modeCode, today, `${base}/modeCode`, 'Le mode d’exercice', errors);

    // Default: the birth name and the first first name, as typed (seed 004: "par défaut, c’est le nom de naissance").
    const lastName = checkExerciseName(blank(input.exerciseLastName) ? context.defaultLastName : input.exerciseLastName, 'Le nom d’exercice');
    if (!lastName.ok) errors.push({ pointer: `${base}/exerciseLastName`, detail: lastName.detail });
    const firstName = checkExerciseName(blank(input.exerciseFirstName) ? context.defaultFirstName : input.exerciseFirstName, 'Le prénom d’exercice');
    if (!firstName.ok) errors.push({ pointer: `${base}/exerciseFirstName`, detail: firstName.detail });

    const startDate = checkStartDate(input.startDate, { openedOn: eg?.openedOn, birthDate: context.birthDate }, `${base}/startDate`, errors);

    if (errors.length > 0) return { value: undefined, errors };
    return {
      value: {
        egFiness: eg!.finess,
        professionCode: profession!,
        roleCode: role!,
        modeCode: mode!,
        exerciseLastName: (lastName as { value: string }).value,
        exerciseFirstName: (firstName as { value: string }).value,
        startDate: startDate!,
      },
      errors,
    };
  }

  /**
   * A whole registration (wizard submission, bulk import row): état civil, contact, then the
   * situation, whose exercise names default to the birth name and first first name. `base` is
   * the pointer prefix of the three parts ('/body' for the API, '' for a file's row).
   */
  async function checkRegistration(
    input: { etatCivil: EtatCivilInput; contact: ContactInput; situation: SituationInput },
    base = '/body',
  ): Promise<{ etatCivil: Checked<EtatCivil>; contact: Checked<Contact>; situation: Checked<Situation>; errors: FieldError[] }> {
    // What the three parts read (structure, commune, contacts), in one round trip.
    const reads = readsOf(input);
    const rules = Object.keys(reads).length === 0 ? undefined : withLookups(await prefetch(db, reads));
    if (rules) return rules.checkRegistration(input, base);
    const etatCivil = await checkEtatCivil(input.etatCivil, `${base}/etatCivil`);
    const contact = await checkContact(input.contact, `${base}/contact`);
    const situation = await checkSituation(input.situation, `${base}/situation`, {
      birthDate: etatCivil.value?.birthDate,
      defaultLastName: input.etatCivil.birthName,
      defaultFirstName: input.etatCivil.firstNames?.[0],
    });
    return { etatCivil, contact, situation, errors: [...etatCivil.errors, ...contact.errors, ...situation.errors] };
  }

  return {
    checkEtatCivil,
    checkContact,
    checkSituation,
    checkRegistration,
    checkEg,
    checkStartDate,
    code,
    withLookups,
    /** These rules with what `input` makes them read loaded in one statement beforehand. */
    preloaded: async (input: Parameters<typeof readsOf>[0]) => withLookups(await prefetch(db, readsOf(input))),
    /** A structure as these rules' lookups know it (`undefined`: not loaded). */
    knownStructure: (finess: string) => lookups.structure?.(finess),
    validateEtatCivil: async (input: EtatCivilInput, base?: string) => required(await checkEtatCivil(input, base)),
    validateContact: async (input: ContactInput, base?: string, options?: { exceptPersonId?: string }) =>
      required(await checkContact(input, base, options)),
    validateSituation: async (input: SituationInput, base?: string, context?: Parameters<typeof checkSituation>[2]) =>
      required(await checkSituation(input, base, context)),
  };
}
export type RegisterValidation = ReturnType<typeof createRegisterValidation>;
