import { z } from 'zod';

export const changeQuery = z.object({
  since: z
    .string()
    .regex(/^\d{1,18}$/, 'Entier positif attendu.')
    .optional()
    .describe('Cursor: the `next` value of the previous response (0 or absent: from the beginning)'),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export const changeEntry = z
  .object({
    seq: z.string().describe('Position in the feed (commit order)'),
    resourceType: z.enum(['Practitioner', 'PractitionerRole']),
    resourceId: z.string(),
    rpps: z.string(),
    change: z.enum(['created', 'updated', 'withdrawn']),
    versionId: z.number().int(),
    at: z.string(),
    data: z.record(z.string(), z.unknown()).describe('Published data after the change (never état civil nor contact)'),
  })
  .meta({ id: 'DirectoryChange' });

export const changePage = z
  .object({
    items: z.array(changeEntry),
    next: z.string().describe('Cursor to pass as `since` for the following changes'),
    hasMore: z.boolean(),
  })
  .meta({ id: 'DirectoryChangePage' });

export const practitionerSearchQuery = z.object({
  q: z.string().trim().max(100).optional().describe('Exercise name (accent/case-insensitive, word prefix) or RPPS number'),
  profession: z.string().regex(/^\d{3}$/).optional().describe('TRE_R85 profession code, e.g. 313'),
  role: z.string().regex(/^GENR\d{2}$/).optional().describe('TRE_R22 role code, e.g. GENR11'),
  structure: z.string().regex(/^[0-9][0-9AB]\d{7}$/).optional().describe('FINESS of the EG or of its EJ'),
  department: z.string().regex(/^(\d{2,3}|2[AB])$/).optional().describe('Department code of the EG'),
  after: z.string().max(400).optional().describe('Keyset cursor: the `next` of the previous page (the following page starts after it)'),
  page: z.coerce.number().int().min(1).max(500).default(1).describe('Deprecated (OFFSET, slow deep in the list): follow `next` with `after` instead. Ignored with `after`'),
  pageSize: z.coerce.number().int().min(1).max(50).default(20),
});

export const publicSituation = z
  .object({
    id: z.string(),
    egFiness: z.string().nullable(),
    egName: z.string().nullable(),
    ejFiness: z.string().nullable(),
    departmentCode: z.string().nullable(),
    professionCode: z.string().nullable(),
    professionLabel: z.string().nullable(),
    roleCode: z.string().nullable(),
    roleLabel: z.string().nullable(),
    modeCode: z.string().nullable(),
    startDate: z.string().nullable(),
    endDate: z.string().nullable(),
    active: z.boolean(),
  })
  .meta({ id: 'DirectorySituation' });

export const publicPractitioner = z
  .object({
    rpps: z.string(),
    idnps: z.string(),
    family: z.string().nullable(),
    given: z.string().nullable(),
    active: z.boolean(),
    situations: z.array(publicSituation),
  })
  .meta({ id: 'DirectoryPractitioner' });

export const practitionerPage = z
  .object({
    items: z.array(publicPractitioner),
    total: z.number().int().describe('Number of matches, counted up to 1,000'),
    totalIsLowerBound: z.boolean().describe('true: more than `total` (1,000) professionals match; refine the search to see them all'),
    next: z.string().nullable().describe('Cursor of the next page (pass it as `after`); null on the last page'),
    page: z.number().int(),
    pageSize: z.number().int(),
  })
  .meta({ id: 'DirectoryPractitionerPage' });

export const extractionInfo = z
  .object({
    id: z.string(),
    kind: z.enum(['full', 'delta']).describe('full: every active entry; delta: professionals changed since the previous delta'),
    generatedAt: z.string(),
    fileName: z.string(),
    sizeBytes: z.number().int(),
    lineCount: z.number().int().describe('Lines of PS_LibreAcces_Personne_activite (header excluded)'),
    withdrawnCount: z.number().int().describe('Delta only: professionals withdrawn from the public file'),
    downloadUrl: z.string().describe('Path of the zip, relative to this server'),
  })
  .meta({ id: 'DirectoryExtraction' });

export const extractionList = z.object({ items: z.array(extractionInfo) }).meta({ id: 'DirectoryExtractionList' });
export const extractionParams = z.object({ id: z.string().max(64) });
