/**
 * Normalises text for accent- and case-insensitive search: "Évry-Courcouronnes" and
 * "EVRY COURCOURONNES" both become "evry courcouronnes". Stored in `search_*` columns and
 * applied to the query, so the database compares plain ASCII with a trigram index.
 */
export function toSearchText(...parts: Array<string | null | undefined>): string {
  return parts
    .filter((p): p is string => Boolean(p))
    .join(' ')
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/[œŒ]/g, 'oe')
    .replace(/[æÆ]/g, 'ae')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Escapes LIKE wildcards in user input. */
export function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}
