import type { Clock } from './context.ts';

/**
 * Calendar days of the service. RPPS+ is French: a user's "today", a start or end date, the day
 * something was registered or accepted are days in Europe/Paris. The UTC date is still yesterday
 * between 00:00 and 01:00 (winter) or 02:00 (summer) in Paris: a start date of "today" typed at
 * 00:30 would be refused, and the 00:05 job would end situations a day late.
 */
const parisDay = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit' });

/** YYYY-MM-DD of an instant in Europe/Paris (DST handled by the time-zone database). */
export function parisDateOf(at: Date | string | number): string {
  // Paris changes day only on a whole minute (its offsets are whole hours): the day of the last
  // minute asked for is kept (formatToParts is slow and every registration asks several times).
  const ms = new Date(at).getTime();
  const minute = Math.floor(ms / 60_000);
  if (minute === lastMinute) return lastDay;
  const day = formatParisDay(ms);
  if (!Number.isNaN(minute)) {
    lastMinute = minute;
    lastDay = day;
  }
  return day;
}
let lastMinute = Number.NaN;
let lastDay = '';

function formatParisDay(at: number): string {
  let year = '';
  let month = '';
  let day = '';
  for (const part of parisDay.formatToParts(new Date(at))) {
    if (part.type === 'year') year = part.value;
    else if (part.type === 'month') month = part.value;
    else if (part.type === 'day') day = part.value;
  }
  return `${year}-${month}-${day}`;
}

/** Today in Paris by the injected clock, as YYYY-MM-DD (the form of every date column and field). */
export const todayOf = (clock: Clock): string => parisDateOf(clock.now());

/**
 * A calendar day (YYYY-MM-DD) moved by `days` (negative: back). Pure day arithmetic on the date
 * itself: a day is a day whatever the change of time in between (computed at UTC midnight, where
 * no day is 23 or 25 hours long).
 */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
