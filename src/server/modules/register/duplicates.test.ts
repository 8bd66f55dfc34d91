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

describe('the birth dates one slip away', () => {
  it('are real calendar days only (29 February of leap years, no 31 June)', () => {
    expect(candidateBirthDates('2000-02-19')).toContain('2000-02-29');
    expect(candidateBirthDates('1900-02-19')).not.toContain('1900-02-29');
    expect(candidateBirthDates('1996-02-19')).toContain('1996-02-29');
    expect(candidateBirthDates('1997-02-19')).not.toContain('1997-02-29');
    expect(candidateBirthDates('1980-06-13')).not.toContain('1980-06-31');
    expect(candidateBirthDates('1980-06-13')).toEqual(
      '1980-06-13 1980-01-13 1980-02-13 1980-03-13 1980-04-13 1980-05-13 1980-06-03 1980-06-10 1980-06-11 1980-06-12 1980-06-14 1980-06-15 1980-06-16 1980-06-17 1980-06-18 1980-06-19 1980-06-23 1980-07-13 1980-08-13 1980-09-13'.split(' '),
    );
  });
});
