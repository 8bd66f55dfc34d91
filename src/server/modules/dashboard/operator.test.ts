import { describe, expect, it } from 'vitest';
import { parisDateOf } from './operator.ts';

describe('default period of the operator view', () => {
  it('ends on the Paris date, the one registrations are counted by (not the UTC date)', () => {
    expect(parisDateOf(new Date('2026-12-04T22:59:00Z'))).toBe('2026-12-04');
    expect(parisDateOf(new Date('2026-12-04T23:30:00Z'))).toBe('2026-12-05');
    expect(parisDateOf(new Date('2026-07-01T21:59:00Z'))).toBe('2026-07-01');
    expect(parisDateOf(new Date('2026-07-01T22:00:00Z'))).toBe('2026-07-02');
  });
});
