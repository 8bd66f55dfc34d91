import { z } from 'zod';
import { declarationsBody } from '../register/schemas.ts';

const rowError = z.object({ column: z.string(), detail: z.string() });
const rowReport = z.object({
  rowNumber: z.number().int(),
  person: z.string().optional(),
  status: z.enum(['valid', 'invalid', 'pending', 'imported', 'failed']),
  errors: z.array(rowError),
  rpps: z.string().nullable().optional(),
  requestId: z.string().nullable().optional(),
});

export const checkReport = z.object({
  format: z.enum(['csv', 'xlsx']),
  encoding: z.enum(['utf8', 'win1252']).nullable(),
  delimiter: z.enum([';', ',']).nullable(),
  rows: z.number().int(),
  valid: z.number().int(),
  invalid: z.number().int(),
  report: z.array(rowReport),
});

export const progressView = z.object({
  id: z.uuid(),
  ejFiness: z.string(),
  fileName: z.string(),
  /** `register`: rows become registrations (declarations ticked); `pending`: requests in the gestionnaires' queue. */
  mode: z.enum(['register', 'pending']),
  status: z.enum(['committing', 'done']),
  rows: z.number().int(),
  invalid: z.number().int(),
  pending: z.number().int(),
  imported: z.number().int(),
  failed: z.number().int(),
  startedAt: z.date(),
  finishedAt: z.date().nullable(),
  etaSeconds: z.number().nullable(),
});

export const importParams = z.object({ id: z.string().max(64) });

export const structureChoices = z.object({
  items: z.array(z.object({ ejFiness: z.string(), name: z.string(), egFiness: z.array(z.string()) })),
});

/** Multipart text fields of an upload. */
export const uploadFields = z.object({
  ejFiness: z.string().regex(/^\d[0-9AB]\d{7}$/, 'Numéro FINESS de l’entité juridique attendu (9 caractères).'),
  mode: z.enum(['dry-run', 'commit']).default('dry-run'),
  /**
   * The form's step-4 declarations ticked for the whole batch, by name (the field repeated, or
   * comma-separated): both → each row is registered; none → each row becomes a pending request.
   */
  declarations: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((d) => d.trim()).filter((d) => d !== ''))
    .pipe(z.array(z.enum(declarationsBody.keyof().options, { error: (issue) => `Déclaration inconnue : « ${String(issue.input)} » (attendues : ${declarationsBody.keyof().options.join(', ')}).` }))),
  format: z.enum(['json', 'csv']).default('json'),
});
