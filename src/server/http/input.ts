import type { FastifyInstance } from 'fastify';
import { type FieldError, ValidationError } from '../errors.ts';

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

/** Refuses (400 validation) any request whose path, query or JSON body holds a NUL character. */
export function refuseNulCharacters(app: FastifyInstance) {
  app.addHook('preValidation', async (request) => {
    const found = [
      ...nulCharactersIn(request.params, '/params'),
      ...nulCharactersIn(request.query, '/query'),
      ...nulCharactersIn(request.body, '/body'),
    ];
    if (found.length > 0) throw new ValidationError('Certaines valeurs envoyées ne sont pas valides.', found);
  });
}
