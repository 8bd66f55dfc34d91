import { describe, expect, it } from 'vitest';
import { formatParisDateTime, formatPhone } from './format.ts';

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

describe('formatParisDateTime', () => {
  it('shows the instant in Paris time, winter (UTC+1) and summer (UTC+2), whatever the browser zone', () => {
    expect(formatParisDateTime('2026-12-05T03:36:00.000Z')).toBe('05/12/2026 04:36');
    // Just before midnight UTC is already the next day in Paris.
    expect(formatParisDateTime('2026-12-05T23:30:00Z')).toBe('06/12/2026 00:30');
    expect(formatParisDateTime(new Date('2026-07-01T22:30:00Z'))).toBe('02/07/2026 00:30');
  });
});
