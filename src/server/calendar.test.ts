import { describe, expect, it } from 'vitest';
import { addDays, parisDateOf, todayOf } from './calendar.ts';

const at = (iso: string) => ({ now: () => new Date(iso) });

describe('the date in Paris of an instant', () => {
  it('is the next day from midnight in Paris, while the UTC date is still the day before', () => {
    // Winter (UTC+1) and summer (UTC+2).
    expect(parisDateOf(new Date('2026-12-04T22:59:00Z'))).toBe('2026-12-04');
    expect(parisDateOf(new Date('2026-12-04T23:30:00Z'))).toBe('2026-12-05');
    expect(parisDateOf(new Date('2026-07-01T21:59:00Z'))).toBe('2026-07-01');
    expect(parisDateOf(new Date('2026-07-01T22:00:00Z'))).toBe('2026-07-02');
  });

  it('follows the change of time: the nights of 29 March and 25 October 2026', () => {
    // 00:30 in Paris, still winter time (the clocks go forward at 02:00 that night).
    expect(todayOf(at('2026-03-28T23:30:00Z'))).toBe('2026-03-29');
    expect(todayOf(at('2026-03-28T22:59:00Z'))).toBe('2026-03-28');
    // 03:30 summer time, after the change.
    expect(todayOf(at('2026-03-29T01:30:00Z'))).toBe('2026-03-29');
    // 00:30 in Paris, still summer time (the clocks go back at 03:00 that night).
    expect(todayOf(at('2026-10-24T22:30:00Z'))).toBe('2026-10-25');
    expect(todayOf(at('2026-10-24T21:59:00Z'))).toBe('2026-10-24');
    // 23:30 winter time the same day.
    expect(todayOf(at('2026-10-25T22:30:00Z'))).toBe('2026-10-25');
    expect(todayOf(at('2026-10-25T23:00:00Z'))).toBe('2026-10-26');
  });

  it('answers each instant of the same minute alike and changes day on the minute (the kept last minute)', () => {
    expect(parisDateOf('2026-12-04T22:59:01Z')).toBe('2026-12-04');
    expect(parisDateOf('2026-12-04T22:59:59.999Z')).toBe('2026-12-04');
    expect(parisDateOf('2026-12-04T23:00:00Z')).toBe('2026-12-05');
    expect(parisDateOf('2026-12-04T22:59:30Z')).toBe('2026-12-04');
    expect(() => parisDateOf('not a date')).toThrow(RangeError);
    expect(parisDateOf('2026-12-04T22:59:30Z')).toBe('2026-12-04');
  });

  it('takes an instant as a Date, an ISO string or milliseconds (database timestamps)', () => {
    expect(parisDateOf('2026-12-31T23:15:00Z')).toBe('2027-01-01');
    expect(parisDateOf(Date.parse('2026-12-31T22:15:00Z'))).toBe('2026-12-31');
  });
});

describe('a calendar day moved by a number of days', () => {
  it('moves across months, years, leap days and the changes of time', () => {
    expect(addDays('2026-12-05', -364)).toBe('2025-12-06');
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    // The nights the clocks change are days like the others.
    expect(addDays('2026-03-28', 1)).toBe('2026-03-29');
    expect(addDays('2026-03-29', 1)).toBe('2026-03-30');
    expect(addDays('2026-10-26', -1)).toBe('2026-10-25');
  });
});
