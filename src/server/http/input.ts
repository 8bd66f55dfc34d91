import type { FastifyInstance } from 'fastify';
import { DomainError, type FieldError, ValidationError } from '../errors.ts';

const nulDetail = 'Le caractère nul (U+0000) n’est pas accepté.';

/**
 * The places of `value` (a parsed JSON body, query or path parameters) holding a string with a
 * NUL character, as JSON pointers under `pointer`. PostgreSQL text cannot store U+0000: such a
 * value would fail in the database (a 500) instead of being refused as bad input.
 */
export function nulCharactersIn(value: unknown, pointer: string, found: FieldError[] = [], depth = 0): FieldError[] {
  if (found.length >= 20 || depth > 64) return found;
  if (typeof value === 'string') {
    if (value.includes('\u0000')) found.push({ pointer, detail: nulDetail });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => nulCharactersIn(v, `${pointer}/${i}`, found, depth + 1));
  } else if (value !== null && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k.includes('\u0000')) found.push({ pointer, detail: nulDetail });
      else nulCharactersIn(v, `${pointer}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, found, depth + 1);
    }
  }
  return found;
}

/** Whether `value` holds a NUL character anywhere (no pointer built: the common case, nothing found, allocates nothing). */
export function containsNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (value === null || typeof value !== 'object' || depth > 64 || Buffer.isBuffer(value)) return false;
  if (Array.isArray(value)) {
    for (const v of value) if (containsNul(v, depth + 1)) return true;
    return false;
  }
  for (const k in value) {
    if (!Object.hasOwn(value, k)) continue;
    if (k.includes('\u0000') || containsNul((value as Record<string, unknown>)[k], depth + 1)) return true;
  }
  return false;
}

/** Refuses (400 validation) any request whose path, query or JSON body holds a NUL character. */
export function refuseNulCharacters(app: FastifyInstance) {
  app.addHook('preValidation', (request, _reply, done) => {
    // The pointers are built only when there is something to point at (a batch of 1,000
    // questions built 3,000 of them for nothing: issue 18).
    if (!containsNul(request.params) && !containsNul(request.query) && !containsNul(request.body)) return done();
    const found = [
      ...nulCharactersIn(request.params, '/params'),
      ...nulCharactersIn(request.query, '/query'),
      ...nulCharactersIn(request.body, '/body'),
    ];
    done(found.length > 0 ? new ValidationError('Certaines valeurs envoyées ne sont pas valides.', found) : undefined);
  });
}

/** Deepest nesting of objects and arrays a JSON body may have (the deepest real form is 4). */
export const maxJsonDepth = 32;

/**
 * The nesting depth of a JSON text, counted without parsing it (strings skipped): a body of
 * 50,000 nested arrays is refused before any recursive code walks it (issue 15).
 */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) max = Math.max(max, ++depth);
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

export class JsonTooDeepError extends DomainError {
  constructor() {
    super('body-too-deep', 400, `Le corps JSON est trop imbriqué (${maxJsonDepth} niveaux au plus).`);
  }
}

/** The JSON body parser of the API: Fastify's own (prototype poisoning refused), after a depth check. */
export function limitJsonDepth(app: FastifyInstance) {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (jsonDepth(body as string) > maxJsonDepth) return done(new JsonTooDeepError(), undefined);
    return parse(request, body as string, done);
  });
}
