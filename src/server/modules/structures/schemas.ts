import { z } from 'zod';

export const finessParam = z.string().describe('FINESS number (9 characters, Luhn key)');

export const structureSummary = z
  .object({
    finess: z.string(),
    kind: z.enum(['EJ', 'EG']).describe('EJ = entité juridique, EG = établissement géographique'),
    name: z.string(),
    longName: z.string().nullable(),
    categoryCode: z.string().nullable().describe('FINESS category (TRE_R66) for an EG'),
    categoryLabel: z.string().nullable(),
    postalCode: z.string().nullable(),
    city: z.string().nullable(),
    departmentCode: z.string().nullable(),
    ejFiness: z.string().nullable(),
    status: z.enum(['open', 'closed']),
  })
  .meta({ id: 'StructureSummary' });
export type StructureSummary = z.infer<typeof structureSummary>;

export const rppsPlusMembership = z
  .object({
    status: z
      .enum(['joined', 'partial', 'pending', 'not-joined'])
      .describe(
        'joined: an active contrat d’adhésion covers the structure; partial (an EJ): some of its EG have a contract of their own; pending: a request is being prepared or examined; not-joined: none',
      ),
    through: z.enum(['ej', 'eg']).nullable().describe('When joined: through the EJ’s contract, or the EG’s own'),
    joinedEstablishments: z.array(z.string()).describe('For an EJ: its EG covered by a contract of their own'),
    canRequest: z.boolean().describe('A contract request for this structure would be accepted (open in FINESS, no live contract covers it)'),
  })
  .meta({ id: 'RppsPlusMembership' });
export type RppsPlusMembership = z.infer<typeof rppsPlusMembership>;

export const structureDetail = structureSummary
  .extend({
    legalStatusCode: z.string().nullable(),
    legalStatusLabel: z.string().nullable(),
    siret: z.string().nullable(),
    siren: z.string().nullable(),
    addressLine: z.string().nullable(),
    inseeCode: z.string().nullable().describe('INSEE COG code of the commune'),
    phone: z.string().nullable().describe('Switchboard of the establishment (public FINESS data)'),
    openedOn: z.string().nullable(),
    closedOn: z.string().nullable(),
    finessUpdatedOn: z.string().nullable(),
    ej: structureSummary.nullable().describe('For an EG: its entité juridique'),
    establishments: z.array(structureSummary).describe('For an EJ: its établissements'),
    rppsPlus: rppsPlusMembership.describe('Whether the structure has joined RPPS+ (contrat d’adhésion), and whether it may ask to'),
  })
  .meta({ id: 'StructureDetail' });
export type StructureDetail = z.infer<typeof structureDetail>;

export const structureSearchQuery = z.object({
  q: z.string().trim().max(200).optional().describe('FINESS number (or its beginning) or words of the name or city'),
  kind: z.enum(['EJ', 'EG']).optional(),
  department: z
    .string()
    .regex(/^(\d{2,3}|2A|2B|9[A-J])$/i, 'Code de département attendu (ex. 69, 2A, 974).')
    .optional(),
  includeClosed: z.enum(['true', 'false']).optional().describe('Closed structures are hidden unless true'),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type StructureSearchQuery = z.infer<typeof structureSearchQuery>;

export const structurePage = z
  .object({
    items: z.array(structureSummary),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  })
  .meta({ id: 'StructurePage' });
