import { z } from 'zod';

export const providerParam = z.object({ provider: z.enum(['psc', 'franceconnect']) });

export const loginQuery = z.object({
  retour: z.string().max(500).optional().describe('Local path to come back to after sign-in (e.g. /mon-espace)'),
});

const staffRole = z.object({
  role: z.enum(['operator', 'legal_representative', 'mandataire', 'gestionnaire']),
  ejFiness: z.string().nullable(),
  egFiness: z.string().nullable(),
});

export const sessionInfo = z
  .discriminatedUnion('kind', [
    z.object({ kind: z.literal('anonymous') }),
    z.object({
      kind: z.literal('person'),
      provider: z.enum(['psc', 'franceconnect']),
      idnps: z.string().nullable(),
      familyName: z.string(),
      givenName: z.string(),
      roles: z.array(staffRole),
      /** Echo it in the x-csrf-token header of every POST/PUT/PATCH/DELETE. */
      csrfToken: z.string(),
      identity: z.record(z.string(), z.unknown()).describe('Claims of the identity provider (FranceConnect pivot identity, PSC professional data)'),
    }),
    z.object({
      kind: z.literal('machine'),
      name: z.string(),
      scopes: z.array(z.string()),
      ejFiness: z.string().nullable().describe('The EJ (FINESS) the key is bound to: its bulk imports stay within it; null: a national key'),
    }),
  ])
  .meta({ id: 'Session' });

export const logoutResult = z.object({ redirectTo: z.string().describe('Where the browser goes next (the provider’s logout)') });

export const apiKeySummary = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string(),
    scopes: z.array(z.string()),
    ejFiness: z.string().nullable().describe('The EJ the key acts for (FINESS); null: a national key'),
    createdAt: z.date(),
    lastUsedAt: z.date().nullable(),
    expiresAt: z.date().nullable(),
    revokedAt: z.date().nullable(),
  })
  .meta({ id: 'ApiKey' });

export const createApiKeyBody = z.object({
  name: z.string().trim().min(1).max(200),
  scopes: z.array(z.string()).min(1),
  ejFiness: z.string().trim().length(9).optional().describe('Bind the key to this EJ (FINESS): required with registrations:bulk unless national'),
  national: z.boolean().optional().describe('An explicitly national key (an ANS tool): registrations:bulk may then import into any EJ'),
  expiresAt: z.coerce.date().optional(),
});

export const createdApiKey = z.object({
  key: z.string().describe('The key, shown only once: send it as `Authorization: Bearer <key>`'),
  apiKey: apiKeySummary,
});
