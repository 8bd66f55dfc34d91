import { describe, expect, it } from 'vitest';
import { candidateBirthDates, matchIdentity } from './duplicates.ts';
import { IdentityIndex } from './identity-index.ts';
import { identityPairs, traitsOf } from './identity-pairs.ts';
import type { IdentityTraits } from './names.ts';

/** What the index replaces: every earlier identity born on a candidate date, in date then file order. */
function bruteForce(earlier: Array<{ identity: IdentityTraits; value: number }>, identity: IdentityTraits): number | undefined {
  for (const date of candidateBirthDates(identity.birthDate)) {
    for (const other of earlier) {
      if (other.identity.birthDate === date && matchIdentity(identity, other.identity) !== null) return other.value;
    }
  }
  return undefined;
}

describe('IdentityIndex', () => {
  // The labelled pairs (slips of every kind, twins, namesakes…) as one file, in several orders.
  const identities = identityPairs.flatMap((p) => [traitsOf(p.registered), traitsOf(p.typed)]);

  it.each([0, 1, 2, 3])('finds what trying every earlier identity finds (order %i)', (rotation) => {
    const file = [...identities.slice(rotation * 37), ...identities.slice(0, rotation * 37)];
    if (rotation % 2) file.reverse();
    const index = new IdentityIndex<number>();
    const earlier: Array<{ identity: IdentityTraits; value: number }> = [];
    let found = 0;
    file.forEach((identity, i) => {
      const expected = bruteForce(earlier, identity);
      expect(index.find(identity)).toBe(expected);
      if (expected === undefined) {
        index.add(identity, i);
        earlier.push({ identity, value: i });
      } else found += 1;
    });
    // The file holds both sides of the "same person" pairs: many are found.
    expect(found).toBeGreaterThan(100);
  });

  it('finds a slip of the date through the usage name, and nothing with another family name', () => {
    const index = new IdentityIndex<string>();
    const registered: IdentityTraits = { sexe: 'F', birthName: 'LEFEVRE', usageName: 'DUPONT', firstNames: ['CLAIRE'], birthDate: '1985-06-15', birthCountryCode: '99100', birthCommuneCode: '69123' };
    index.add(registered, 'line 2');
    const typed = { ...registered, birthName: 'DUPONT', usageName: null, birthDate: '1985-06-16' };
    expect(matchIdentity(typed, registered)).toBe('likely');
    expect(index.find(typed)).toBe('line 2');
    expect(index.find({ ...typed, birthName: 'MOREAU' })).toBeUndefined();
  });
});
