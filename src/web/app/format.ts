/**
 * A phone number as French people write it: "+33600000017" → "06 00 00 00 17"; a foreign one
 * keeps its country code, in groups ("+32 470 12 34 56" stays readable); anything else as is.
 */
export function formatPhone(raw: string | null | undefined): string {
  if (!raw) return '';
  const compact = raw.replace(/[\s.-]/g, '');
  const national = /^\+33(\d{9})$/.exec(compact)?.[1] ?? /^0(\d{9})$/.exec(compact)?.[1];
  if (national) return `0${national}`.replace(/(\d{2})(?=\d)/g, '$1 ');
  return raw;
}

const parisDateTime = new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Paris' });

/**
 * An instant the server recorded, as a French user reads it: "05/12/2026 04:36", Paris time
 * whatever the browser's time zone (the service is French; the server's clock, not the browser's).
 */
export const formatParisDateTime = (iso: string | Date): string => parisDateTime.format(new Date(iso));
