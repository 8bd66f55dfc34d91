import { z } from 'zod';
import { isoDate } from '../referential/schemas.ts';

export const matrixVersion = z
  .object({
    id: z.number().int(),
    label: z.string(),
    effectiveFrom: z.string(),
    source: z.string(),
    publishedAt: z.string(),
  })
  .meta({ id: 'AccessMatrixVersion' });

export const accessMatrix = z
  .object({
    on: z.string(),
    version: matrixVersion,
    roles: z.array(z.object({ code: z.string(), label: z.string() })),
    documentTypes: z.array(
      z.object({
        key: z.string().describe('Stable key of the document type in RPPS+'),
        code: z.string().nullable().describe('LOINC or TRE_A05 code (JDV_J07-XdsTypeCode-CISIS)'),
        system: z.string().nullable(),
        label: z.string(),
      }),
    ),
    grants: z.record(z.string(), z.array(z.string())).describe('role code → document type keys readable'),
  })
  .meta({ id: 'AccessMatrix' });

export const accessMatrixQuery = z.object({
  on: isoDate.optional().describe('The version in force on this date (default: today)'),
});
