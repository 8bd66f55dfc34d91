import { type IdentityTraits, firstNamesKey, identityKey, nameKey, nameTokens } from './names.ts';

/**
 * Duplicate detection (DOMAIN.md: "one person = one RPPS for life"). The database narrows the
 * register to persons born the same day (or on the day/month-swapped date) whose names are near
 * (queries.ts); this function takes the decision, so the rule lives in one tested place.
 *
 * - exact: same birth date, birth name, first names (in any order) and sexe → never a second person.
 * - likely: same birth date, a family name of one (birth or usage) close to a family name of the
 *   other, and a first name in common or close; or the same names with day and month swapped.
 * "Close" tolerates what normalization already removes (accents, case, hyphens, apostrophes,
 * spaces), one wrong, missing, extra or swapped letter on names of 4 letters or more, and a
 * compound name given in part.
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

function swapDayMonth(date: string): string | null {
  const [y, m, d] = date.split('-');
  if (!y || !m || !d || m === d || Number(d) > 12) return null;
  return `${y}-${d}-${m}`;
}

/** The birth dates the database must look at for `date`. */
export function candidateBirthDates(date: string): string[] {
  const swapped = swapDayMonth(date);
  return swapped ? [date, swapped] : [date];
}

export function matchIdentity(input: IdentityTraits, existing: IdentityTraits): MatchKind | null {
  if (identityKey(input) === identityKey(existing)) return 'exact';
  if (input.birthDate === existing.birthDate) {
    const family = familyNames(input).some((x) => familyNames(existing).some((y) => namesClose(x, y)));
    return family && firstNamesClose(input.firstNames, existing.firstNames) ? 'likely' : null;
  }
  // Day and month swapped on one of the forms: only with the very same names.
  if (swapDayMonth(input.birthDate) === existing.birthDate) {
    const sameNames =
      nameKey(input.birthName) === nameKey(existing.birthName) && firstNamesKey(input.firstNames) === firstNamesKey(existing.firstNames);
    return sameNames ? 'likely' : null;
  }
  return null;
}
