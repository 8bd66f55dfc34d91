import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidRpps, luhnKey, luhnValid } from '../../identifiers.ts';
import { rppsFromPayload } from './rpps.ts';

const payload = fc.integer({ min: 0, max: 9_999_999_999 });

describe('RPPS number from a payload', () => {
  it('always passes the RPPS check (11 digits, Luhn)', () => {
    fc.assert(fc.property(payload, (p) => isValidRpps(rppsFromPayload(p))));
  });

  it('round-trips: the first 10 digits are the payload, the last its Luhn key', () => {
    fc.assert(
      fc.property(payload, (p) => {
        const rpps = rppsFromPayload(p);
        return Number(rpps.slice(0, 10)) === p && rpps[10] === luhnKey(rpps.slice(0, 10));
      }),
    );
  });

  it('detects every single-digit error', () => {
    fc.assert(
      fc.property(payload, fc.integer({ min: 0, max: 10 }), fc.integer({ min: 1, max: 9 }), (p, position, delta) => {
        const rpps = rppsFromPayload(p);
        const wrong = rpps.slice(0, position) + String((Number(rpps[position]) + delta) % 10) + rpps.slice(position + 1);
        return !luhnValid(wrong);
      }),
    );
  });

  it('matches the ANS test number', () => {
    expect(rppsFromPayload(123456789)).toBe('01234567897');
  });

  it('refuses payloads outside 10 digits', () => {
    expect(() => rppsFromPayload(10_000_000_000)).toThrow(RangeError);
    expect(() => rppsFromPayload(-1)).toThrow(RangeError);
  });
});
