import { describe, expect, it } from 'vitest';
import { dmpOpening } from './dmp-opening.ts';

describe('DMP opening (DMP_ROLE_ACCESS_FROM)', () => {
  it('is closed with no date while the day is unknown', () => {
    expect(dmpOpening({ dmp: { roleAccessFrom: null } }, '2026-11-23')).toEqual({ open: false, from: null });
  });
  it('opens on the configured day', () => {
    const config = { dmp: { roleAccessFrom: '2027-03-01' } };
    expect(dmpOpening(config, '2027-02-28')).toEqual({ open: false, from: '2027-03-01' });
    expect(dmpOpening(config, '2027-03-01')).toEqual({ open: true, from: '2027-03-01' });
  });
});
