import { serializerCompiler } from 'fastify-type-provider-zod';
import { describe, expect, it } from 'vitest';
import { fastSuccessSerializerCompiler, serializerSchemaOf } from '../../http/fast-serializer.ts';
import { draftView, stepResult, submitResult } from './schemas.ts';

const route = (schema: unknown, httpStatus: string) => ({ schema, method: 'PUT', url: '/api/register/drafts/:id/etat-civil', httpStatus });
const zod = (schema: unknown) => serializerCompiler(route(schema, '200') as never);
const fast = (schema: unknown) => fastSuccessSerializerCompiler(route(schema, '200') as never);

const draft = (filled: boolean) => ({
  id: '0b7c1d2e-3f40-4a5b-8c6d-7e8f90a1b2c3',
  ejFiness: filled ? '690000011' : null,
  etatCivil: filled
    ? { civilite: 'MME', sexe: 'F', birthName: 'L’Hôpital « dit » \\ "x"', usageName: null, firstNames: ['Zoé', null], birthDate: '1980-02-29', birthCountryCode: '99100', birthCommuneCode: '69123', birthPlace: undefined }
    : null,
  contact: filled ? { email: 'zoe@example.org', mobile: '+33612345678' } : null,
  situation: filled ? { egFiness: '690800123', professionCode: '10', roleCode: 'FON-01', modeCode: 'S', exerciseLastName: 'X', exerciseFirstName: 'Y', startDate: '2026-12-01' } : null,
  declarations: filled ? { accurateAndInformed: true, metInPerson: true } : null,
  identityDocument: filled ? { originalName: 'cni.pdf', contentType: 'application/pdf', sizeBytes: 1234 } : null,
  completedSteps: filled ? ['etat-civil', 'contact', 'situation', 'declarations'] : [],
  rpps: null,
  submittedAt: null,
  updatedAt: '2026-12-05T10:00:00.000Z',
  ownerId: 'never written',
});

describe('the wizard answers written by fast-json-stringify', () => {
  it('are byte for byte what the zod serializer writes (drafts empty and filled, duplicates, receipt), extra fields dropped', () => {
    for (const d of [draft(false), draft(true)]) expect(fast(draftView)(d)).toBe(zod(draftView)(d));
    const step = {
      draft: draft(true),
      duplicates: [
        { inScope: true, rpps: '10100000001', exerciseLastName: 'DUPONT', exerciseFirstName: 'Zoé', birthYear: 1980 },
        { inScope: false, rpps: null, exerciseLastName: null, exerciseFirstName: null, birthYear: null },
      ],
    };
    expect(fast(stepResult)(step)).toBe(zod(stepResult)(step));
    const receipt = { rpps: '10100000002', draftId: draft(false).id, registeredAt: '2026-12-05T10:00:00.000Z' };
    expect(fast(submitResult)(receipt)).toBe(zod(submitResult)(receipt));
  });

  it('have no union left for fast-json-stringify to validate with ajv at each value (nullable fields are `type: [T, null]`)', () => {
    for (const schema of [draftView, stepResult, submitResult]) expect(JSON.stringify(serializerSchemaOf(schema))).not.toContain('anyOf');
  });
});
