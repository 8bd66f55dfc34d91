import { createHash } from 'node:crypto';
import pg from 'pg';

/**
 * Server-side prepared statements for hot queries of fixed text (issue 18: planning a small query
 * can cost PostgreSQL more than running it). A query whose SQL starts with the marker that
 * `preparedStatement` adds is sent by the PostgreSQL pool's clients as a *named* statement: each
 * connection parses and plans it once, then only binds and executes it. The name is a hash of the
 * text, so two texts never share a name. Only texts of fixed shape may be marked (not `in (…)`
 * lists of varying length): each connection keeps every name it has prepared.
 */
const marker = '/* prepared ';

/** `text` marked to run as a named prepared statement on PostgreSQL (PGlite runs it as is). */
export function preparedStatement(text: string): string {
  // The texts are few (fixed shapes) and asked for on every call: hashed once each (a SHA-1 of a
  // 3 kB text per registration showed in its profile).
  let marked = markedTexts.get(text);
  if (marked === undefined) {
    if (markedTexts.size >= 1_000) markedTexts.clear();
    marked = `${marker}p_${createHash('sha1').update(text).digest('hex').slice(0, 20)} */ ${text}`;
    markedTexts.set(text, marked);
  }
  return marked;
}
const markedTexts = new Map<string, string>();

/** The pool's client: a marked text becomes `{ name, text, values }` (pg then prepares it once per connection). */
export class PreparingClient extends pg.Client {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- pg's overloads, passed through unchanged
  override query(config: any, values?: any, callback?: any): any {
    if (typeof config === 'string' && config.startsWith(marker)) {
      const name = config.slice(marker.length, config.indexOf(' */'));
      return super.query({ name, text: config, values }, callback);
    }
    return super.query(config, values, callback);
  }
}
