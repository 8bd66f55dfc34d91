import { type IdentityTraits, normalizeName } from './names.ts';
import type { EtatCivilInput } from './types.ts';

/**
 * The labelled identity pairs of duplicate detection (issue 16, "Identity quality"): a registered
 * identity and what a gestionnaire types, labelled `same` (one person: must be flagged, exact or
 * likely) or not (two persons: must not be flagged). Built from the slips gestionnaires really
 * make — accents, hyphens, particles, ligatures, swapped or joined first names, usage names,
 * married names, date typos, foreign-born persons — and from the people who really look alike —
 * twins, parents and children, siblings, namesakes. Shared by duplicate-quality.test.ts (which
 * asserts the thresholds) and bench/duplicate-quality.bench.ts (which prints them and runs the
 * pairs through the database query too). Fictitious people.
 */
export interface IdentityPair {
  label: string;
  pattern: string;
  same: boolean;
  registered: EtatCivilInput;
  typed: EtatCivilInput;
}

type Base = EtatCivilInput & {
  /** A first name of the other sexe one letter away, for the twin of the other sexe. */
  twinFirstName: string;
  /** A married name (typed in the birth-name field later). */
  marriedName: string;
};

const person = (p: Partial<Base> & Pick<Base, 'birthName' | 'firstNames' | 'birthDate' | 'sexe' | 'twinFirstName' | 'marriedName'>): Base => ({
  civilite: p.sexe === 'F' ? 'MME' : 'M',
  usageName: null,
  birthCountryCode: '99100',
  birthCommuneCode: null,
  birthPlace: null,
  ...p,
});

const bases: Base[] = [
  person({ sexe: 'F', birthName: 'Lefèvre', usageName: 'Dupont', firstNames: ['Marie-Hélène', 'Claire'], birthDate: '1985-06-15', birthCommuneCode: '69123', twinFirstName: 'Marius', marriedName: 'Bonnet' }),
  person({ sexe: 'M', birthName: "N'Diaye", firstNames: ['Jean-Pierre'], birthDate: '1990-02-03', birthCountryCode: '99341', birthPlace: 'Dakar', twinFirstName: 'Jeanne', marriedName: 'Sow' }),
  person({ sexe: 'F', birthName: 'de La Fontaine', firstNames: ['Anne-Sophie', 'Louise'], birthDate: '1978-11-23', birthCommuneCode: '75115', twinFirstName: 'Anselme', marriedName: 'Mercier' }),
  person({ sexe: 'F', birthName: 'Lebœuf', firstNames: ['Chloé'], birthDate: '1992-04-07', birthCommuneCode: '35238', twinFirstName: 'Clovis', marriedName: 'Garnier' }),
  person({ sexe: 'F', birthName: 'Nguyen', firstNames: ['Thi', 'Thu', 'Ha'], birthDate: '1988-12-01', birthCountryCode: '99243', birthPlace: 'Hô Chi Minh-Ville', twinFirstName: 'Thanh', marriedName: 'Tran' }),
  person({ sexe: 'M', birthName: 'Ben Ahmed', firstNames: ['Mohamed', 'Amine'], birthDate: '1975-03-12', birthCountryCode: '99350', birthPlace: 'Casablanca', twinFirstName: 'Amina', marriedName: 'Alaoui' }),
  person({ sexe: 'M', birthName: 'Da Silva Ferreira', firstNames: ['João', 'Miguel'], birthDate: '1983-09-28', birthCountryCode: '99139', birthPlace: 'Porto', twinFirstName: 'Joana', marriedName: 'Costa' }),
  person({ sexe: 'M', birthName: 'Müller', firstNames: ['Lukas'], birthDate: '2001-01-10', birthCommuneCode: '67482', twinFirstName: 'Luisa', marriedName: 'Schmitt' }),
  person({ sexe: 'M', birthName: 'Martin', firstNames: ['Louis', 'Henri'], birthDate: '1995-05-20', birthCommuneCode: '44109', twinFirstName: 'Louise', marriedName: 'Renaud' }),
  person({ sexe: 'F', birthName: 'Garcia', usageName: 'Roux', firstNames: ['Pascale'], birthDate: '1969-10-30', birthCommuneCode: '13205', twinFirstName: 'Pascal', marriedName: 'Roux' }),
  person({ sexe: 'M', birthName: 'Hoarau', firstNames: ['Jean-Marc', 'Joseph'], birthDate: '1980-07-04', birthCommuneCode: '97411', twinFirstName: 'Jeanne-Marie', marriedName: 'Payet' }),
  person({ sexe: 'F', birthName: 'Dubois', firstNames: ['Frédérique', 'Anne'], birthDate: '2003-08-09', birthCommuneCode: '59350', twinFirstName: 'Frédéric', marriedName: 'Leroy' }),
  person({ sexe: 'M', birthName: 'Le Gall', firstNames: ['Yann', 'Erwan'], birthDate: '1972-02-29', birthCommuneCode: '29019', twinFirstName: 'Yanna', marriedName: 'Morvan' }),
  person({ sexe: 'F', birthName: 'Sainte-Marie', firstNames: ['Thérèse', 'Odile'], birthDate: '1958-12-25', birthCommuneCode: '33063', twinFirstName: 'Théo', marriedName: 'Lacroix' }),
  person({ sexe: 'F', birthName: 'Kowalski', firstNames: ['Anna', 'Maria'], birthDate: '1991-03-03', birthCountryCode: '99122', birthPlace: 'Cracovie', twinFirstName: 'Anton', marriedName: 'Bernard' }),
  person({ sexe: 'M', birthName: 'Dupont', firstNames: ['Daniel', 'Pierre'], birthDate: '1960-06-14', birthCommuneCode: '75056', twinFirstName: 'Danielle', marriedName: 'Moreau' }),
  person({ sexe: 'F', birthName: "O'Connor", firstNames: ['Siobhan'], birthDate: '1986-01-31', birthCountryCode: '99136', birthPlace: 'Dublin', twinFirstName: 'Sean', marriedName: 'Fabre' }),
  person({ sexe: 'M', birthName: 'Abdallah Mahamat', firstNames: ['Youssouf'], birthDate: '1999-10-12', birthCountryCode: '99312', birthPlace: "N'Djamena", twinFirstName: 'Youssra', marriedName: 'Ali' }),
];

/** Accents, ligatures and case dropped, as a keyboard without them types the name. */
const plain = (s: string) => s.normalize('NFD').replace(/\p{M}+/gu, '').replace(/œ/g, 'oe').replace(/Œ/g, 'OE');

function mutateLetter(name: string, kind: 'extra' | 'missing' | 'wrong' | 'swap'): string {
  // At the fourth letter position of the first long word, where gestionnaires' slips fall.
  const at = Math.min(3, name.length - 2);
  const c = name[at]!;
  if (kind === 'extra') return name.slice(0, at) + c + name.slice(at);
  if (kind === 'missing') return name.slice(0, at) + name.slice(at + 1);
  if (kind === 'wrong') return name.slice(0, at) + (c.toLowerCase() === 'e' ? 'a' : 'e') + name.slice(at + 1);
  return name.slice(0, at - 1) + name[at] + name[at - 1] + name.slice(at + 1);
}

const dateParts = (d: string) => d.split('-') as [string, string, string];
const isReal = (d: string) => {
  const t = new Date(`${d}T00:00:00Z`);
  return !Number.isNaN(t.getTime()) && t.toISOString().slice(0, 10) === d;
};
function shiftDays(d: string, days: number) {
  return new Date(Date.parse(`${d}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** Date slips of a base, only those giving a real date different from the base's. */
function dateSlips(d: string): Array<[string, string]> {
  const [y, m, day] = dateParts(d);
  const digit = (c: string) => String((Number(c) + 1) % 10);
  const candidates: Array<[string, string]> = [
    ['day and month swapped', `${y}-${day}-${m}`],
    ['day digits transposed', `${y}-${m}-${day[1]}${day[0]}`],
    ['month digits transposed', `${y}-${m[1]}${m[0]}-${day}`],
    ['last digit of the day mistyped', `${y}-${m}-${day[0]}${digit(day[1]!)}`],
    ['last digit of the month mistyped', `${y}-${m[0]}${digit(m[1]!)}-${day}`],
  ];
  return candidates.filter(([, v]) => v !== d && isReal(v));
}

function pairsOf(b: Base, i: number): IdentityPair[] {
  const { twinFirstName, marriedName, ...registered } = b;
  const out: IdentityPair[] = [];
  const who = `${plain(b.birthName!)} ${plain(b.firstNames![0]!)}`;
  const same = (pattern: string, o: Partial<EtatCivilInput>) => out.push({ label: `${who}: ${pattern}`, pattern, same: true, registered, typed: { ...registered, ...o } });
  const other = (pattern: string, o: Partial<EtatCivilInput>) => out.push({ label: `${who}: ${pattern}`, pattern, same: false, registered, typed: { ...registered, ...o } });
  const first = b.firstNames as string[];
  const family = b.birthName!;
  const otherSexe = b.sexe === 'F' ? { sexe: 'M', civilite: 'M' } : { sexe: 'F', civilite: 'MME' };

  // Same person.
  same('identical', {});
  same('accents and ligatures dropped', { birthName: plain(family), firstNames: first.map(plain) });
  same('upper case', { birthName: family.toUpperCase(), firstNames: first.map((f) => f.toUpperCase()) });
  same('hyphen, space and apostrophe variants', { birthName: family.replace(/[-' ]/g, (c) => (c === ' ' ? '-' : ' ')), firstNames: first.map((f) => f.replace(/-/g, ' ')) });
  same('particles and spaces run together', { birthName: family.replace(/[-' ]/g, '') });
  const particle = /^(de la|de|du|des|da|le|la|ben|van|von|o)[ ']/i.exec(family);
  if (particle && family.length > particle[0].length + 2) same('particle left out', { birthName: family.slice(particle[0].length).trim() });
  if (first.length > 1) same('first names in another order', { firstNames: [...first].reverse() });
  if (first.length > 1) same('only the usual first name', { firstNames: [first[0]!] });
  same('an extra first name', { firstNames: [...first, 'Marie'] });
  if (first[0]!.includes('-')) same('compound first name split in two', { firstNames: [...first[0]!.split('-'), ...first.slice(1)] });
  else if (first.length > 1) same('first names joined in one', { firstNames: [first.join('-')] });
  same('extra letter in the birth name', { birthName: mutateLetter(family, 'extra') });
  same('missing letter in the birth name', { birthName: mutateLetter(family, 'missing') });
  same('wrong letter in the birth name', { birthName: mutateLetter(family, 'wrong') });
  same('swapped letters in the birth name', { birthName: mutateLetter(family, 'swap') });
  if (first[0]!.length >= 5) same('letter missing in the first name', { firstNames: [mutateLetter(first[0]!, 'missing'), ...first.slice(1)] });
  same('married name typed as birth name', { birthName: marriedName, usageName: null });
  same('married name as birth name, birth name as usage name', { birthName: marriedName, usageName: family });
  if (b.usageName) same('usage name typed as birth name', { birthName: b.usageName, usageName: null });
  same('sexe entered wrong', otherSexe);
  for (const [slip, date] of dateSlips(b.birthDate!)) same(`birth date: ${slip}`, { birthDate: date });
  if (b.birthCountryCode !== '99100') same('town abroad spelled otherwise', { birthPlace: `${plain(b.birthPlace!).toUpperCase()} (${b.birthCountryCode})` });
  if (b.birthCommuneCode === '75056') same('Paris arrondissement instead of Paris', { birthCommuneCode: '75114' });
  if (b.birthCommuneCode?.startsWith('751')) same('Paris instead of its arrondissement', { birthCommuneCode: '75056' });

  // Other persons.
  other('twin of the other sexe, first name one letter away', { ...otherSexe, firstNames: [twinFirstName] });
  other('twin of the other sexe, near first name and the same second one', { ...otherSexe, firstNames: [twinFirstName, ...first.slice(1)] });
  other('twin, other first names', { firstNames: ['Camille', 'Jade'] });
  other('parent or child: same names, 27 years apart', { birthDate: shiftDays(b.birthDate!, -27 * 365 - 7) });
  other('parent or child: same names and birthday, other year', { birthDate: `${Number(b.birthDate!.slice(0, 4)) + 24}${b.birthDate!.slice(4)}` });
  other('namesake born three weeks later', { birthDate: shiftDays(b.birthDate!, 21) });
  other('namesake born a year and a half later', { birthDate: shiftDays(b.birthDate!, 540) });
  other('same day, other family name, other place', {
    birthName: ['Fontaine', 'Rousseau', 'Perrin', 'Marchand'][i % 4]!,
    usageName: null,
    birthCountryCode: '99100',
    birthCommuneCode: b.birthCommuneCode === '31555' ? '06088' : '31555',
    birthPlace: null,
  });
  other('same day and place, other names', { birthName: 'Guerin', usageName: null, firstNames: ['Nadia'] });
  other('sibling born two years later', { firstNames: ['Jade'], birthDate: shiftDays(b.birthDate!, 730) });
  const slip = dateSlips(b.birthDate!)[0];
  if (slip) {
    other('namesake born elsewhere on a date one slip away', {
      birthDate: slip[1],
      birthCountryCode: b.birthCountryCode === '99100' ? '99109' : '99100',
      birthCommuneCode: b.birthCountryCode === '99100' ? null : '31555',
      birthPlace: b.birthCountryCode === '99100' ? 'Berlin' : null,
    });
    other('date one slip away, other first names', { birthDate: slip[1], firstNames: ['Noé'] });
  }
  return out;
}

export const identityPairs: IdentityPair[] = bases.flatMap(pairsOf);

/** Issue 16's goals on this set. */
export const duplicateQualityGoals = { minRecall: 0.99, maxFalseAlarmRate: 0.01 } as const;

export interface QualityTally {
  pairs: number;
  same: number;
  caught: number;
  different: number;
  falseAlarms: number;
  /** A pair of two persons judged 'exact': the second could not be registered at all. */
  silentMerges: number;
  recall: number;
  falseAlarmRate: number;
  missed: string[];
  flagged: string[];
}

export function tally(results: Array<{ pair: IdentityPair; kind: 'exact' | 'likely' | null }>): QualityTally {
  const same = results.filter((r) => r.pair.same);
  const different = results.filter((r) => !r.pair.same);
  const missed = same.filter((r) => r.kind === null).map((r) => r.pair.label);
  const flagged = different.filter((r) => r.kind !== null).map((r) => `${r.pair.label} (${r.kind})`);
  return {
    pairs: results.length,
    same: same.length,
    caught: same.length - missed.length,
    different: different.length,
    falseAlarms: flagged.length,
    silentMerges: different.filter((r) => r.kind === 'exact').length,
    recall: same.length === 0 ? 1 : (same.length - missed.length) / same.length,
    falseAlarmRate: different.length === 0 ? 0 : flagged.length / different.length,
    missed,
    flagged,
  };
}

/** The traits the register stores for a (valid) input: names normalized as names.ts does. */
export function traitsOf(i: EtatCivilInput): IdentityTraits {
  return {
    sexe: i.sexe!,
    birthName: normalizeName(i.birthName!),
    usageName: i.usageName ? normalizeName(i.usageName) : null,
    firstNames: i.firstNames!.map((f) => normalizeName(f!)),
    birthDate: i.birthDate!,
    birthCountryCode: i.birthCountryCode ?? null,
    birthCommuneCode: i.birthCommuneCode ?? null,
  };
}
