import { describe, expect, it } from 'vitest';
import { differentPeople, registeredA, registeredB, sameIdentityVariants } from './duplicate-cases.ts';
import { candidateBirthDates, editDistance, matchIdentity } from './duplicates.ts';
import { type IdentityTraits, normalizeName } from './names.ts';
import type { EtatCivilInput } from './types.ts';

const traits = (i: EtatCivilInput): IdentityTraits => ({
  sexe: i.sexe!,
  birthName: normalizeName(i.birthName!),
  usageName: i.usageName ? normalizeName(i.usageName) : null,
  firstNames: i.firstNames!.map((f) => normalizeName(f!)),
  birthDate: i.birthDate!,
});
const register = [traits(registeredA), traits(registeredB)];
const best = (i: EtatCivilInput) => {
  const kinds = register.map((r) => matchIdentity(traits(i), r));
  return kinds.includes('exact') ? 'exact' : kinds.includes('likely') ? 'likely' : null;
};

describe('duplicate detection (pure decision)', () => {
  it('has at least 30 cases each way', () => {
    expect(sameIdentityVariants.length).toBeGreaterThanOrEqual(30);
    expect(differentPeople.length).toBeGreaterThanOrEqual(30);
  });

  it.each(sameIdentityVariants)('catches: %s', (_label, input, expected) => {
    expect(best(input)).toBe(expected);
  });

  it.each(differentPeople)('does not block: %s', (_label, input) => {
    expect(best(input)).toBeNull();
  });

  it('edit distance counts an adjacent swap as one edit', () => {
    expect(editDistance('lefevre', 'lfeevre')).toBe(1);
    expect(editDistance('dupont', 'dupuis')).toBe(3);
  });

  it('looks at the day/month-swapped date only when it is a date', () => {
    expect(candidateBirthDates('1990-02-03')).toEqual(['1990-02-03', '1990-03-02']);
    expect(candidateBirthDates('1985-06-15')).toEqual(['1985-06-15']);
    expect(candidateBirthDates('1985-05-05')).toEqual(['1985-05-05']);
  });
});
