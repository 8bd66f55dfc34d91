import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { FieldError } from '../../../errors.ts';
import { RegisterValidationError } from '../errors.ts';

/**
 * The pure rules of the register, shared by the wizard routes, the pre-registration and bulk
 * import: each `check*` returns the normalized value and every field error (JSON pointers under
 * `base`, French messages); each `validate*` throws them as one 422 problem.
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

export const franceCountryCode = '99100';

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

export const blank = (v: string | null | undefined): v is null | undefined => v === null || v === undefined || v.trim() === '';

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

export function required<T>(checked: Checked<T>): T {
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
