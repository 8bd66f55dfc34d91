import type { FastifyRouteSchemaDef } from 'fastify/types/schema.js';
import fastJson, { type Schema } from 'fast-json-stringify';
import { serializerCompiler as zodSerializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';

type JsonSchema = Record<string, unknown>;

/** What shapes the output of a nullable branch, and the bounds that only check input. */
const shapeKeys = new Set(['type', 'properties', 'required', 'additionalProperties', 'items', 'description']);
const boundKeys = new Set(['maxLength', 'minLength', 'maxItems', 'minItems', 'minimum', 'maximum']);

/**
 * Unions fast-json-stringify writes without validating each branch: `anyOf: [{ type: T, … },
 * { type: 'null' }]` (what zod writes for `.nullable()`, T a scalar, an object or an array) as
 * `type: [T, 'null']`, and two objects
 * told apart by a property (a batch item: an answer or an `error`) as if/then/else.
 */
function simplified(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(simplified);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(schema)) out[k] = simplified(v);
  const anyOf = out.anyOf as JsonSchema[] | undefined;
  if (Array.isArray(anyOf) && anyOf.length === 2 && anyOf.every((b) => b.type === 'object')) {
    // Two objects told apart by a required property of one that the other lacks: if/then/else,
    // which fast-json-stringify decides with that one test instead of validating whole branches.
    for (const [i, branch] of anyOf.entries()) {
      const other = anyOf[1 - i]!;
      const key = ((branch.required as string[] | undefined) ?? []).find((k) => !Object.hasOwn((other.properties as JsonSchema | undefined) ?? {}, k));
      if (key === undefined) continue;
      delete out.anyOf;
      Object.assign(out, { type: 'object', if: { type: 'object', required: [key] }, then: branch, else: other });
      break;
    }
  } else if (Array.isArray(anyOf) && anyOf.length === 2) {
    const nullAt = anyOf.findIndex((s) => s.type === 'null' && Object.keys(s).length === 1);
    const other = anyOf[1 - nullAt];
    if (nullAt >= 0 && other && typeof other.type === 'string' && ['string', 'number', 'integer', 'boolean', 'object', 'array'].includes(other.type) && Object.keys(other).every((k) => shapeKeys.has(k) || boundKeys.has(k))) {
      // Bounds check input, they change nothing in what is written: dropped with the union
      // (left to ajv, fast-json-stringify would look a validator up at every value).
      delete out.anyOf;
      for (const [k, v] of Object.entries(other)) if (!boundKeys.has(k)) out[k] = v;
      out.type = [other.type, 'null'];
    }
  }
  return out;
}

/** The JSON Schema fast-json-stringify compiles for a zod output schema (the one OpenAPI shows). */
export function serializerSchemaOf(schema: z.ZodType): JsonSchema {
  const json = z.toJSONSchema(schema, { io: 'output', target: 'draft-7', unrepresentable: 'throw' }) as JsonSchema;
  delete json.$schema;
  return simplified(json) as JsonSchema;
}

/**
 * A route's `serializerCompiler` for hot routes (issue 18: access decisions): its 2xx responses
 * are written by fast-json-stringify, compiled once from the route's zod schema, instead of being
 * checked by zod and then `JSON.stringify`-ed (fastify-type-provider-zod's serializer, kept for
 * every other status — problems — and every other route). Like zod's, it writes only the declared
 * properties; unlike zod's, it does not check the handler's values (the handler's TypeScript
 * types do): use it only where the service builds the answer itself.
 */
export function fastSuccessSerializerCompiler<T>(route: FastifyRouteSchemaDef<T>): (data: unknown) => string {
  const schema: unknown = route.schema;
  if (!(schema instanceof z.ZodType)) throw new Error(`${route.method} ${route.url}: a zod response schema is expected`);
  if (!/^2\d\d$/.test(String(route.httpStatus))) return zodSerializerCompiler({ ...route, schema });
  return fastJson(serializerSchemaOf(schema) as unknown as Schema);
}
