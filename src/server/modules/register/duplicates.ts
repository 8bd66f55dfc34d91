import type { DuplicateProbe } from './queries.ts';
import { type IdentityTraits, firstNamesKey, identityKey, nameKey, nameTokens } from './names.ts';

/**
 * Duplicate detection (DOMAIN.md: "one person = one RPPS for life"). The database narrows the
 * register to persons born the same day or on a date one typing slip away, whose names are near
 * (queries.ts); this function takes the decision, so the rule lives in one tested place.
 *
 * - exact: same birth date, birth name, first names (in any order) and sexe → never a second person.
 * - likely (the gestionnaire checks, then confirms or corrects; never merged silently):
 *   - same birth date, a family name of one (birth or usage) close to a family name of the
 *     other, and a first name in common or close; with the other sexe only when the first names
 *     are the same (a twin brother or sister — Louis / Louise — is another person);
 *   - same birth date, sexe, first names and birth place, whatever the family names: the name
 *     taken at marriage typed in the birth-name field (issue 16);
 *   - the same names and a birth date one slip away: day and month swapped, the two digits of
 *     the day or of the month transposed, or one of those digits mistyped (issue 16), unless the
 *     birth places are known and differ.
 * "Close" tolerates what normalization already removes (accents, case, hyphens, apostrophes,
 * spaces, ligatures), one wrong, missing, extra or swapped letter on names of 4 letters or more,
 * and a compound name given in part. The labelled pairs of identity-pairs.ts measure it
 * (duplicate-quality test and bench).
 */
export type MatchKind = 'exact' | 'likely';

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions), capped. */
export function editDistance(a: string, b: string, cap = 2): number {
  if (Math.abs(a.length - b.length) > cap) return cap + 1;
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push(new Array<number>(b.length + 1).fill(0));
    rows[i]![0] = i;
  }
  for (let j = 0; j <= b.length; j++) rows[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return Math.min(rows[a.length]![b.length]!, cap + 1);
}

/** Two normalized names that may be the same name mistyped. */
export function namesClose(a: string, b: string): boolean {
  const ka = nameKey(a);
  const kb = nameKey(b);
  if (ka === kb) return true;
  if (Math.min(ka.length, kb.length) >= 4 && editDistance(ka, kb, 1) <= 1) return true;
  // A compound name given in part: "MARTIN" for "MARTIN-DUPONT" (all words of one within the other).
  const ta = nameTokens(a).filter((t) => t.length >= 3);
  const tb = nameTokens(b).filter((t) => t.length >= 3);
  if (ta.length === 0 || tb.length === 0 || ta.length === tb.length) return false;
  const [short, long] = ta.length < tb.length ? [ta, tb] : [tb, ta];
  return short.every((t) => long.includes(t));
}

const familyNames = (t: IdentityTraits) => [t.birthName, ...(t.usageName ? [t.usageName] : [])];

function firstNamesClose(a: string[], b: string[]): boolean {
  if (a.length === 0 || b.length === 0) return false;
  if (firstNamesKey(a) === firstNamesKey(b)) return true;
  // "JEAN PIERRE" entered as one first name or as two.
  if (a.map(nameKey).join('') === b.map(nameKey).join('')) return true;
  const ka = a.map(nameKey);
  const kb = b.map(nameKey);
  // The first (usual) first name of one appears among the other's, or the usual ones are close.
  if (kb.includes(ka[0]!) || ka.includes(kb[0]!)) return true;
  return namesClose(a[0]!, b[0]!);
}

function isRealDate(y: string, m: string, d: string): boolean {
  // Day arithmetic instead of parsing and printing a Date (a registration asks for ~40 of them).
  if (!/^\d{4}$/.test(y) || !/^\d{2}$/.test(m) || !/^\d{2}$/.test(d)) return false;
  const year = Number(y);
  const month = Number(m);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return day <= (month === 2 ? (leap ? 29 : 28) : daysInMonth[month - 1]!);
}
const daysInMonth = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Two-digit strings one slip away from `dd`: its digits transposed, or one digit mistyped. */
function slips(dd: string): string[] {
  const out = new Set<string>([dd[1]! + dd[0]!]);
  for (let pos = 0; pos < 2; pos++) {
    for (let digit = 0; digit <= 9; digit++) {
      const v = pos === 0 ? `${digit}${dd[1]}` : `${dd[0]}${digit}`;
      out.add(v);
    }
  }
  out.delete(dd);
  return [...out];
}

/**
 * Real dates of the same year one typing slip away from `date` (issue 16: "birth dates whose day
 * or month digits are transposed or mistyped"): day and month swapped, the day's or the month's
 * two digits transposed, one digit of the day or of the month wrong. The year is left alone: a
 * person born 27 years apart with the same names is a parent or a child.
 */
export function birthDateSlips(date: string): string[] {
  // Pure and asked for every row of a bulk import (several times): computed once per date.
  let slipsOf = slipCache.get(date);
  if (!slipsOf) {
    if (slipCache.size >= 50_000) slipCache.clear();
    slipsOf = computeSlips(date);
    slipCache.set(date, slipsOf);
  }
  return [...slipsOf];
}
const slipCache = new Map<string, readonly string[]>();

function computeSlips(date: string): string[] {
  const [y, m, d] = date.split('-') as [string, string, string];
  const out = new Set<string>();
  const add = (mm: string, dd: string) => {
    if (isRealDate(y, mm, dd)) out.add(`${y}-${mm}-${dd}`);
  };
  add(d, m);
  for (const dd of slips(d)) add(m, dd);
  for (const mm of slips(m)) add(mm, d);
  out.delete(date);
  return [...out].sort();
}

/** The birth dates the database must look at for `date`: the date itself first, then its slips. */
export function candidateBirthDates(date: string): string[] {
  return [date, ...birthDateSlips(date)];
}

/**
 * Where a person was born, comparable: the commune for France (Paris, Lyon and Marseille
 * arrondissements count as their city: registers use either), the country otherwise (the town
 * abroad is free text, spelled many ways). Null when unknown.
 */
export function birthPlaceKey(t: Pick<IdentityTraits, 'birthCountryCode' | 'birthCommuneCode'>): string | null {
  if (!t.birthCountryCode) return null;
  if (t.birthCountryCode !== '99100') return t.birthCountryCode;
  const c = t.birthCommuneCode;
  if (!c) return null;
  if (/^751(0[1-9]|1\d|20)$/.test(c)) return '75056';
  if (/^132(0[1-9]|1[0-6])$/.test(c)) return '13055';
  if (/^6938[1-9]$/.test(c)) return '69123';
  return c;
}

/** Same first names, in any order, or "JEAN PIERRE" entered as one first name or as two. */
function sameFirstNames(a: string[], b: string[]): boolean {
  return firstNamesKey(a) === firstNamesKey(b) || a.map(nameKey).join('') === b.map(nameKey).join('');
}

export function matchIdentity(input: IdentityTraits, existing: IdentityTraits): MatchKind | null {
  if (identityKey(input) === identityKey(existing)) return 'exact';
  const placeA = birthPlaceKey(input);
  const placeB = birthPlaceKey(existing);
  const samePlace = placeA !== null && placeA === placeB;
  const firstNamesSame = sameFirstNames(input.firstNames, existing.firstNames);
  if (input.birthDate === existing.birthDate) {
    // A twin of the other sexe with a near-identical first name (Louis / Louise) is another
    // person; the same first names with the other sexe are a slip on the sexe.
    if (input.sexe !== existing.sexe && !firstNamesSame) return null;
    const family = familyNames(input).some((x) => familyNames(existing).some((y) => namesClose(x, y)));
    if (family && firstNamesClose(input.firstNames, existing.firstNames)) return 'likely';
    // The name taken at marriage typed as the birth name: nothing of the family names in common,
    // everything else the same.
    return input.sexe === existing.sexe && firstNamesSame && samePlace ? 'likely' : null;
  }
  if (!birthDateSlips(input.birthDate).includes(existing.birthDate)) return null;
  // A slip on the date: only with the very same names, and not born elsewhere.
  const sameFamily = familyNames(input).some((x) => familyNames(existing).some((y) => nameKey(x) === nameKey(y)));
  const placesDiffer = placeA !== null && placeB !== null && placeA !== placeB;
  return sameFamily && firstNamesSame && !placesDiffer ? 'likely' : null;
}

/** What the database query needs to gather the candidates of an identity (queries.ts). */
export function duplicateProbe(t: IdentityTraits): DuplicateProbe {
  const families = familyNames(t);
  return {
    birthDate: t.birthDate,
    slipDates: birthDateSlips(t.birthDate),
    familyKeys: families.map(nameKey),
    familyText: families.join(' '),
    firstNameKeys: t.firstNames.map(nameKey),
  };
}
