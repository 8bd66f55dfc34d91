import { describe, expect, it } from 'vitest';
import { formatPhone } from './format.ts';

describe('formatPhone', () => {
  it('writes French numbers in pairs, with the leading 0', () => {
    expect(formatPhone('+33600000017')).toBe('06 00 00 00 17');
    expect(formatPhone('0478000000')).toBe('04 78 00 00 00');
  });
  it('leaves foreign or odd numbers as they were given', () => {
    expect(formatPhone('+32 470 12 34 56')).toBe('+32 470 12 34 56');
    expect(formatPhone('')).toBe('');
  });
});
