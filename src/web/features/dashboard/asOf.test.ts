import { describe, expect, it } from 'vitest';
import { asOfText } from './asOf.ts';

describe('asOfText', () => {
  it('says the Paris date and time in words, winter and summer', () => {
    expect(asOfText('2026-12-04T13:05:00Z')).toBe('4 décembre 2026 à 14 h 05');
    expect(asOfText('2026-07-01T22:30:00Z')).toBe('2 juillet 2026 à 0 h 30');
  });
});
