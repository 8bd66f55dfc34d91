import { describe, expect, it } from 'vitest';
import { checkName, firstNamesKey, identityKey, nameKey, normalizeName } from './names.ts';

describe('name rules (upper case, no diacritics, letters, space, hyphen, apostrophe)', () => {
  it.each([
    ['Élodie', 'ELODIE'],
    ['d’Orléans-Dupré', "D'ORLEANS-DUPRE"],
    ['  le   gall ', 'LE GALL'],
    ['Le - Gall', 'LE-GALL'],
    ['Œillet', 'OEILLET'],
    ['Lætitia', 'LAETITIA'],
    ['Çağlar', 'CAGLAR'],
    ['MARTIN--DURAND', 'MARTIN--DURAND'],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeName(raw)).toBe(expected);
    expect(checkName(raw, 'Le nom')).toEqual({ ok: true, value: expected });
  });

  it.each(['Dupont2', 'Du_pont', '-Dupont', "Dupont'", 'Jean.Pierre', '', '   ', 'Ж'.repeat(3), 'A'.repeat(101)])('refuses %j', (raw) => {
    expect(checkName(raw, 'Le nom').ok).toBe(false);
  });

  it('keys ignore separators and first-name order', () => {
    expect(nameKey("D'ORLEANS-DUPRE")).toBe('dorleansdupre');
    expect(firstNamesKey(['MARIE', 'CLAIRE'])).toBe(firstNamesKey(['CLAIRE', 'MARIE']));
    const t = { sexe: 'F', birthName: 'LE GALL', usageName: null, firstNames: ['MARIE', 'CLAIRE'], birthDate: '1985-06-15' };
    expect(identityKey(t)).toBe(identityKey({ ...t, birthName: 'LE-GALL', firstNames: ['CLAIRE', 'MARIE'] }));
  });
});
