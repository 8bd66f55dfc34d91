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

export const dmpOpeningSchema = z
  .object({
    open: z.boolean().describe('The DMP already lets the roles of RPPS+ read what the matrix grants'),
    from: z.string().nullable().describe('The day it opens (or opened) them; null while not known'),
  })
  .meta({ id: 'DmpOpening' });

export const accessMatrix = z
  .object({
    on: z.string(),
    dmpOpening: dmpOpeningSchema,
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

export const matrixPublication = z.object({
  label: z.string().trim().min(3).max(200),
  effectiveFrom: isoDate.describe('First day the version is in force (today or later)'),
  source: z.string().trim().min(3).max(2000).describe('Where the rules come from (ANS document, version)'),
  grants: z
    .record(z.string(), z.array(z.string().max(40)).max(500))
    .describe('role code (TRE_R22 GENR08…GENR12) → document type keys or LOINC / TRE_A05 codes readable'),
});

const decisionQuestion = z.object({
  professional: z.string().max(40).describe('RPPS number (11 digits) or IDNPS (8 + RPPS)'),
  documentType: z.string().max(80).describe('RPPS+ key (cr_consult) or LOINC / TRE_A05 code (11488-4)'),
  on: isoDate.optional().describe('Date of the question (default: today)'),
});
export const decisionRequest = decisionQuestion.meta({ id: 'AccessDecisionQuestion' });

const decisionAnswerFields = {
  professional: z.object({ rpps: z.string(), idnps: z.string() }),
  documentType: z.object({ key: z.string(), code: z.string().nullable(), label: z.string() }),
  on: z.string(),
  allow: z.boolean(),
  reason: z
    .enum(['role-grants-access', 'role-does-not-grant-access', 'no-active-situation', 'situation-not-started', 'situation-ended', 'unknown-document-type', 'identity-rejected'])
    .describe('Why: the role of an active situation grants it or not; or no situation active on that date; or the identity was rejected by the ANS'),
  through: z.array(z.object({ egFiness: z.string(), roleCode: z.string() })).describe('Active situations (EG, role) granting the access'),
  matrixVersion: z.object({ id: z.number().int(), effectiveFrom: z.string() }),
};
export const decisionAnswer = z.object(decisionAnswerFields).meta({ id: 'AccessDecision' });

export const batchRequest = z.object({
  questions: z.array(decisionQuestion).min(1).max(1000).describe('1 to 1,000 questions'),
});

const itemError = z.object({
  code: z.enum(['invalid-professional-identifier', 'unknown-document-type', 'professional-not-found', 'access-matrix-not-found']),
  status: z.number().int(),
  detail: z.string(),
  pointer: z.string(),
});
export const batchResponse = z
  .object({
    items: z.array(
      z.union([z.object({ index: z.number().int(), ...decisionAnswerFields }), z.object({ index: z.number().int(), error: itemError })]),
    ),
    counts: z.object({ questions: z.number().int(), allowed: z.number().int(), denied: z.number().int(), errors: z.number().int() }),
  })
  .meta({ id: 'AccessDecisionBatch' });

export const rppsParams = z.object({ rpps: z.string().max(40) });

export const mssanteEligibility = z
  .object({
    rpps: z.string(),
    on: z.string(),
    eligible: z.boolean().describe('May open a nominative MSSanté mailbox'),
    reason: z
      .enum(['active-situation', 'no-active-situation', 'profession-not-entitled', 'identity-rejected'])
      .describe('profession-not-entitled: active situations only in professions not entitled to exchange health data (seed 000); identity-rejected: the identity was rejected by ANS review'),
    structures: z.array(z.object({ egFiness: z.string(), egName: z.string().nullable(), roleCode: z.string(), since: z.string() })),
  })
  .meta({ id: 'MssanteEligibility' });

export const myAccess = z
  .object({
    registered: z.literal(true),
    rpps: z.string(),
    idnps: z.string(),
    ecps: z.object({
      idnps: z.string(),
      state: z.enum(['not-invited', 'invited', 'active', 'suspended']),
      invitedAt: z.string().nullable(),
      activatedAt: z.string().nullable(),
    }),
    situations: z.array(
      z.object({
        egFiness: z.string(),
        egName: z.string().nullable(),
        professionCode: z.string(),
        professionLabel: z.string(),
        roleCode: z.string(),
        roleLabel: z.string(),
        startDate: z.string(),
        endDate: z.string().nullable(),
        active: z.boolean(),
      }),
    ),
    roles: z.array(
      z.object({
        code: z.string(),
        label: z.string(),
        documentTypes: z.array(z.object({ key: z.string(), code: z.string().nullable(), label: z.string() })),
      }),
    ),
    matrixVersion: z.object({ label: z.string(), effectiveFrom: z.string() }),
    dmpOpening: dmpOpeningSchema,
    mssante: mssanteEligibility,
  })
  .meta({ id: 'MyAccess' });

/**
 * GET /api/me/access: the access of a registered professional, or `{ registered: false }` for a
 * signed-in person whom no record of RPPS+ carries (a staff member, a FranceConnect session): a
 * state of that person, not an error (the page says so; no 404 in the browser's console).
 */
export const myAccessOrNone = z.discriminatedUnion('registered', [myAccess, z.object({ registered: z.literal(false) })]);
