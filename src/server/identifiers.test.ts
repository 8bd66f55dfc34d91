import { describe, expect, it } from 'vitest';
import { checkFiness, isValidRpps, luhnKey, luhnValid } from './identifiers.ts';

describe('FINESS check key (Luhn over the 9 digits)', () => {
  it.each(['010007987', '010000180', '010008571', '750712184'])('accepts the published number %s', (n) => {
    expect(checkFiness(n)).toEqual({ valid: true, finess: n });
  });

  it('rejects a published-looking number with a wrong key', () => {
    expect(checkFiness('750110080')).toMatchObject({ valid: false, reason: 'key' });
    expect(checkFiness('010007988')).toMatchObject({ valid: false, reason: 'key' });
  });

  it.each(['01000798', '0100079870', '01000798A', '', 'ABCDEFGHI'])('rejects the malformed %j', (n) => {
    expect(checkFiness(n)).toMatchObject({ valid: false, reason: 'format' });
  });

  it('accepts Corsican 2A/2B numbers without the key test (rule unpublished)', () => {
    expect(checkFiness('2a0000012')).toEqual({ valid: true, finess: '2A0000012' });
    expect(checkFiness('2B0000019').valid).toBe(true);
  });
});

describe('RPPS number (11 digits, Luhn)', () => {
  it('accepts the ANS test number and rejects a changed digit', () => {
    expect(isValidRpps('01234567897')).toBe(true);
    expect(isValidRpps('01234567898')).toBe(false);
    expect(isValidRpps('1234567897')).toBe(false);
  });

  it('computes the key that makes a payload valid', () => {
    expect(luhnKey('0123456789')).toBe('7');
    expect(luhnKey('01000798')).toBe('7');
    for (const payload of ['1000000000', '1099999999', '1012345678']) {
      expect(luhnValid(payload + luhnKey(payload))).toBe(true);
    }
  });
});
