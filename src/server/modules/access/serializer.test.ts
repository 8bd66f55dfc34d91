import fastJson from 'fast-json-stringify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { fastSuccessSerializerCompiler, serializerSchemaOf } from '../../http/fast-serializer.ts';
import { problemSchema } from '../../http/problem.ts';
import { batchResponse, decisionAnswer } from './schemas.ts';

const answer = (i: number) => ({
  professional: { rpps: '10100000001', idnps: '810100000001' },
  documentType: { key: 'cr_consult', code: i % 2 ? '11488-4' : null, label: 'Compte rendu « de » consultation \\ "é"' },
  on: '2026-12-05',
  allow: i % 3 === 0,
  reason: i % 3 === 0 ? 'role-grants-access' : 'role-does-not-grant-access',
  through: i % 3 === 0 ? [{ egFiness: '690800123', roleCode: 'GENR11' }] : [],
  matrixVersion: { id: 3, effectiveFrom: '2025-04-01' },
});
const error = (i: number) => ({ code: 'unknown-document-type', status: 400, detail: 'Type de document inconnu.', pointer: `/body/questions/${i}/documentType` });
const route = (schema: unknown, httpStatus: string) => ({ schema, method: 'POST', url: '/api/access-decisions', httpStatus });

describe('the decision answers written by fast-json-stringify', () => {
  it('are byte for byte what the zod serializer writes, extra fields dropped, both kinds of batch items', () => {
    const zod = (schema: unknown) => serializerCompiler(route(schema, '200') as never);
    const single = { ...answer(0), index: 7, secret: 'never written' };
    expect(fastSuccessSerializerCompiler(route(decisionAnswer, '200') as never)(single)).toBe(zod(decisionAnswer)(single));
    const batch = {
      items: Array.from({ length: 12 }, (_, i) => (i % 4 === 3 ? { index: i, error: error(i) } : { index: i, ...answer(i) })),
      counts: { questions: 12, allowed: 3, denied: 6, errors: 3 },
    };
    expect(fastSuccessSerializerCompiler(route(batchResponse, '200') as never)(batch)).toBe(zod(batchResponse)(batch));
  });

  it('tell a batch item by its `error` property, without validating whole branches', () => {
    const items = (serializerSchemaOf(batchResponse).definitions as Record<string, { properties: { items: { items: Record<string, unknown> } } }>).AccessDecisionBatch!.properties.items.items;
    expect(items.anyOf).toBeUndefined();
    expect(Object.keys(items)).toEqual(expect.arrayContaining(['if', 'then', 'else']));
    expect(() => fastJson(serializerSchemaOf(batchResponse) as never)).not.toThrow();
  });

  it('leave the problems of other statuses to the zod serializer, which checks them', () => {
    const problem = { type: 'urn:rpps-plus:problem:validation', title: 'Requête invalide', status: 400, detail: 'x', extra: 'dropped' };
    const write = fastSuccessSerializerCompiler(route(problemSchema, '400') as never);
    expect(write(problem)).toBe(serializerCompiler(route(problemSchema, '400') as never)(problem));
    expect(() => write({ status: 'not a number' })).toThrow(/doesn't match the schema/);
  });
});
