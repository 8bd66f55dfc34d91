import { describe, expect, it } from 'vitest';
import { differentPeople, registeredA, registeredB, sameIdentityVariants } from './duplicate-cases.ts';
import { candidateBirthDates, editDistance, matchIdentity } from './duplicates.ts';
import { traitsOf } from './identity-pairs.ts';
import type { EtatCivilInput } from './types.ts';

const traits = traitsOf;
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

  it('looks at the dates one slip away (swap, transposed or mistyped day or month digit), real dates only', () => {
    const dates = candidateBirthDates('1990-02-03');
    expect(dates[0]).toBe('1990-02-03');
    for (const d of ['1990-03-02', '1990-02-30'.replace('30', '13'), '1990-02-04', '1990-02-23', '1990-01-03', '1990-12-03', '1990-20-03'.replace('20-03', '02-03')]) {
      if (d !== '1990-02-03') expect(dates).toContain(d);
    }
    expect(dates).not.toContain('1990-02-30');
    expect(dates).not.toContain('1991-02-03');
    expect(candidateBirthDates('1985-06-15')).toContain('1985-06-16');
    expect(candidateBirthDates('1985-06-15')).not.toContain('1985-15-06');
    expect(dates.length).toBeLessThan(40);
  });
});
