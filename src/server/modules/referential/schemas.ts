import { z } from 'zod';

export const isoDate = z.iso.date({ error: 'Date attendue au format AAAA-MM-JJ.' });

export const nomenclatureKind = z.enum([
  'profession',
  'role',
  'mode-exercice',
  'civilite',
  'civilite-exercice',
  'sexe',
  'country',
  'dmp-document-type',
]);
export type NomenclatureKind = z.infer<typeof nomenclatureKind>;

export const nomenclatureInfo = z
  .object({ kind: z.string(), source: z.string(), codeSystem: z.string().nullable(), version: z.string().nullable() })
  .meta({ id: 'NomenclatureInfo' });

export const nomenclatureCode = z
  .object({
    code: z.string(),
    label: z.string(),
    system: z.string().nullable(),
    validFrom: z.string().nullable(),
    validTo: z.string().nullable().describe('First day the code may no longer be chosen'),
    selectable: z.boolean().describe('Whether a new record may use this code on the requested date'),
    extra: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'NomenclatureCode' });

export const nomenclatureList = z
  .object({ info: nomenclatureInfo, on: z.string(), items: z.array(nomenclatureCode) })
  .meta({ id: 'NomenclatureList' });

export const nomenclatureQuery = z.object({
  on: isoDate.optional().describe('Date at which validity is evaluated (default: today)'),
  selectableOnly: z.enum(['true', 'false']).optional().describe('Only the codes a new record may use'),
});

export const communeCandidate = z
  .object({
    inseeCode: z.string(),
    name: z.string(),
    departmentCode: z.string().nullable(),
    kind: z.enum(['current', 'delegated', 'associated', 'arrondissement']),
    currentInseeCode: z.string().nullable().describe('For a former commune: the commune it merged into'),
    postalCodes: z.array(z.string()),
  })
  .meta({ id: 'CommuneCandidate' });

export const communeCodeParams = z.object({
  inseeCode: z
    .string()
    .regex(/^(\d{5}|2[AB]\d{3})$/i, 'Code INSEE de commune attendu (5 caractères, ex. 31555 ou 2A004).')
    .describe('INSEE COG code of the commune'),
});
export const communeCodeQuery = z.object({
  on: isoDate.optional().describe('The commune of that code as it was on that date (e.g. a birth date); default: the latest'),
});

export const communeQuery = z.object({
  q: z.string().trim().min(2, 'Saisissez au moins 2 caractères.').max(100),
  on: isoDate.optional().describe('Only communes that existed on that date (e.g. a birth date)'),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
