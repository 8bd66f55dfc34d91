/**
 * The one cell writer of every CSV/XLSX export, server and web (src/shared: imports nothing, read
 * by both). A value starting with = + - @, a tab or a carriage return is read as
 * a formula by spreadsheets (CSV injection, OWASP): it is neutralised with a leading apostrophe.
 */
export function spreadsheetText(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** A CSV field (`;` or `,` separated): neutralised, then quoted when it holds a separator, quote or line break. */
export function csvCell(value: string): string {
  const safe = spreadsheetText(value);
  return /[";,\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
