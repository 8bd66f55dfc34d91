/**
 * Name rules of the register. Identity names are stored as the national identity repositories
 * hold them (Référentiel INS / RNIPP "traits stricts"): upper case, no diacritics, letters A–Z
 * separated by a space, a hyphen or an apostrophe. "Élodie d’Orléans-Dupré" is stored
 * "ELODIE" / "D'ORLEANS-DUPRE". See docs/register.md.
 */
export type NameCheck = { ok: true; value: string } | { ok: false; detail: string };

const allowed = /^[A-Z]+(?:(?:--|[ '-])[A-Z]+)*$/;
export const maxNameLength = 100;

export function normalizeName(raw: string): string {
  return raw
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[œŒ]/g, 'OE')
    .replace(/[æÆ]/g, 'AE')
    .replace(/ß/g, 'SS')
    .replace(/[’‘`´ʼ]/g, "'")
    .replace(/[‐‑‒–—]/g, '-')
    .toUpperCase()
    .replace(/\s+/g, ' ')
    .replace(/\s*([-'])\s*/g, '$1')
    .trim();
}

export function checkName(raw: string | null | undefined, label: string): NameCheck {
  if (raw === null || raw === undefined || raw.trim() === '') return { ok: false, detail: `${label} est obligatoire.` };
  const value = normalizeName(raw);
  if (value.length > maxNameLength) return { ok: false, detail: `${label} ne peut dépasser ${maxNameLength} caractères.` };
  if (!allowed.test(value)) {
    return {
      ok: false,
      detail: `${label} ne peut contenir que des lettres, des espaces, des tirets et des apostrophes, et doit commencer et finir par une lettre.`,
    };
  }
  return { ok: true, value };
}

/**
 * Exercise names (published: directory, FHIR, PSC) are kept as typed — accents, case and
 * apostrophes: "Élodie" / "GUÉRIN" (issue 16). Only spaces are tidied. They obey the identity
 * names' rules once stripped (letters, spaces, hyphens, apostrophes); the upper-case, no-accent
 * form (`normalizeName`) is for the extraction files and for matching.
 */
export function checkExerciseName(raw: string | null | undefined, label: string): NameCheck {
  if (raw === null || raw === undefined || raw.trim() === '') return { ok: false, detail: `${label} est obligatoire.` };
  const value = raw.trim().replace(/\s+/g, ' ').replace(/\s*([-'’])\s*/g, '$1');
  const strict = checkName(value, label);
  if (!strict.ok) return strict;
  if (value.length > maxNameLength) return { ok: false, detail: `${label} ne peut dépasser ${maxNameLength} caractères.` };
  return { ok: true, value };
}

/** Letters only, lower case: "D'ORLEANS-DUPRE" → "dorleansdupre". The duplicate search compares these. */
export function nameKey(normalized: string): string {
  return normalized.replace(/[^A-Z]/g, '').toLowerCase();
}

/** Words of a name, for compound names: "MARTIN-DUPONT" → ["martin", "dupont"]. */
export function nameTokens(normalized: string): string[] {
  return normalized
    .toLowerCase()
    .split(/[^a-z]+/)
    .filter(Boolean);
}

export interface IdentityTraits {
  sexe: string;
  birthName: string;
  usageName: string | null;
  firstNames: string[];
  birthDate: string;
  /** Birth place, when known: compared by the duplicate rules that cannot lean on the names. */
  birthCountryCode?: string | null;
  birthCommuneCode?: string | null;
}

/** First names in sorted order: "PIERRE JEAN" and "JEAN PIERRE" give the same key. */
export const firstNamesKey = (firstNames: string[]) => firstNames.map(nameKey).sort().join(' ');

/** The exact identity: two persons may never share it (unique in the database). */
export const identityKey = (t: IdentityTraits) => `${t.birthDate}|${nameKey(t.birthName)}|${firstNamesKey(t.firstNames)}|${t.sexe}`;
