import { addDays, todayOf } from '../../../calendar.ts';
import type { FieldError } from '../../../errors.ts';
import { checkFiness } from '../../../identifiers.ts';
import { checkExerciseName } from '../names.ts';
import { prefetch } from '../rule-lookups.ts';
import type { Situation, SituationInput } from '../types.ts';
import type { RuleContext } from './context.ts';
import { addYears, blank, type Checked, isIsoDate, maximumStartDaysAhead, minimumAgeAtStart } from './rules.ts';

/** The EG rules, shared by a new situation and a change of EG. */
export function createCheckEg(ctx: RuleContext) {
  const { db, clock, lookups } = ctx;
  return async function checkEg(raw: string | null | undefined, pointer: string, errors: FieldError[]) {
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
  };
}

/** Start-date rules: a real date, not before the EG opened, the person at least 14 that day. */
export function createCheckStartDate(ctx: RuleContext) {
  const { clock } = ctx;
  return function checkStartDate(
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
  };
}

/** Step 3 of the form: the situation in an EG, its codes, exercise names and start date. */
export function createCheckSituation(
  ctx: RuleContext,
  parts: { checkEg: ReturnType<typeof createCheckEg>; checkStartDate: ReturnType<typeof createCheckStartDate> },
) {
  const { clock } = ctx;
  const { checkEg, checkStartDate } = parts;
  return async function checkSituation(
    input: SituationInput,
    base = '/body',
    /** Defaults of the exercise names: the birth name and first first name as typed (not normalized). */
    context: { birthDate?: string; defaultLastName?: string | null; defaultFirstName?: string | null } = {},
  ): Promise<Checked<Situation>> {
    const errors: FieldError[] = [];
    const today = todayOf(clock);
    const eg = await checkEg(input.egFiness, `${base}/egFiness`, errors);
    const profession = await ctx.code('profession', input.professionCode, today, `${base}/professionCode`, 'La profession', errors);
    const role = await ctx.code('role', input.roleCode, today, `${base}/roleCode`, 'Le rôle', errors);
    let mode: string | undefined;
    if (input.modeCode?.trim().toUpperCase() === 'L') {
      errors.push({
        pointer: `${base}/modeCode`,
        detail: 'Le portail RPPS+ ne permet pas l’enregistrement des professionnels libéraux : seul le mode d’exercice salarié est accepté. Un professionnel libéral s’enregistre auprès de son ordre ou de son ARS.',
      });
    } else mode = await ctx.code('mode-exercice', input.modeCode, today, `${base}/modeCode`, 'Le mode d’exercice', errors);

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
  };
}
