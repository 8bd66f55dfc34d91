import type { FieldError } from '../../errors.ts';
import { etatCivilFields } from '../../personal-data.ts';
import type { EtatCivilInput } from '../register/types.ts';
import { EtatCivilNotEditableError } from './errors.ts';

/** Fields of the état civil: they come from FranceConnect and are refused in any request body. */
export const etatCivilKeys = etatCivilFields;

/** Refuses, with every offending pointer, a body (or nested object) carrying état-civil data. */
export function refuseEtatCivil(body: unknown, base = '/body'): void {
  const errors: FieldError[] = [];
  // Iterative walk: a deeply nested body cannot overflow the stack (issue 15).
  const stack: [unknown, string][] = [[body, base]];
  while (stack.length > 0 && errors.length < 50) {
    const [value, pointer] = stack.pop()!;
    if (!value || typeof value !== 'object' || Array.isArray(value)) continue;
    for (const [k, v] of Object.entries(value)) {
      if ((etatCivilKeys as readonly string[]).includes(k)) errors.push({ pointer: `${pointer}/${k}`, detail: 'L’état civil provient de FranceConnect et ne peut pas être modifié.' });
      else stack.push([v, `${pointer}/${k}`]);
    }
  }
  if (errors.length > 0) throw new EtatCivilNotEditableError(errors.sort((a, b) => (a.pointer < b.pointer ? -1 : 1)));
}

/** A string field, trimmed; anything else is empty. */
export const text = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/**
 * The FranceConnect pivot identity (OIDC.md "Claim formats") as the register's état civil:
 * `family_name` is the birth name, `preferred_username` the usage name, `given_name` every first
 * name, `birthplace` the COG code ("" when born abroad), `birthcountry` the 99xxx code.
 */
export function etatCivilFromFranceConnect(claims: Record<string, unknown>): EtatCivilInput {
  const female = text(claims.gender) === 'female';
  // Read back from the session's jsonb through CamelCasePlugin, the claim names may be camelCased.
  const claim = (snake: string, camel: string) => text(claims[snake] ?? claims[camel]);
  return {
    civilite: female ? 'MME' : 'M',
    sexe: female ? 'F' : 'M',
    birthName: claim('family_name', 'familyName'),
    usageName: claim('preferred_username', 'preferredUsername') || null,
    firstNames: claim('given_name', 'givenName').split(/\s+/).filter(Boolean),
    birthDate: text(claims.birthdate),
    birthCountryCode: text(claims.birthcountry),
    birthCommuneCode: text(claims.birthplace) || null,
    birthPlace: null,
  };
}
