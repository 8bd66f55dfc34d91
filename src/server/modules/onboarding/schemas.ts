import { z } from 'zod';

const date = z.iso.date();
const finess = z.string().trim().regex(/^(\d{2}|2A|2B|2a|2b)\d{7}$/, 'Numéro FINESS : 9 caractères.').transform((v) => v.toUpperCase());

export const idParam = z.object({ id: z.uuid() });
export const ejParam = z.object({ ejFiness: finess });

export const contractStatus = z.enum(['draft', 'submitted', 'active', 'refused', 'terminated']);
export const strategy = z.enum(['centralized', 'decentralized']);

/** The legal representative as a structure gives him: on a contract request and on a succession. */
const rlBody = z.object({
  civility: z.enum(['M', 'MME']),
  familyName: z.string().trim().min(1).max(200),
  givenName: z.string().trim().min(1).max(200),
  email: z.string().trim().min(3).max(320),
  phone: z.string().trim().min(6).max(30),
  idnps: z.string().trim().max(40).nullish(),
  cardMatricule: z.string().trim().max(40).nullish().describe('N° de matricule of the RL’s card, when he has one (contract annex)'),
});

export const contractRequestBody = z.object({
  ejFiness: z.string().trim().min(1).max(20).describe('FINESS number of the contracting structure: an EJ (whole entity) or an EG (one site)'),
  rl: rlBody,
  signedOn: date.nullish(),
  siret: z.string().trim().max(20).nullish().describe('SIRET du siège (required to submit)'),
  address: z.string().trim().max(500).nullish().describe('Address of the organisme gestionnaire (required to submit)'),
  mieCguVersion: z.string().trim().max(60).nullish().describe('Version of the MIE terms of use the RL read (required to submit)'),
});

export const finessParam = z.object({ finess: finess });
export const contractableView = z
  .object({
    finess: z.string(),
    kind: z.enum(['EJ', 'EG']),
    ejFiness: z.string(),
    egFiness: z.string().nullable(),
    name: z.string(),
    ejName: z.string().nullable(),
    siret: z.string().nullable(),
    address: z.string().nullable(),
    mieCguVersion: z.string(),
  })
  .meta({ id: 'Contractable' });

export const submitBody = z.object({ signedOn: date.nullish() });
export const reasonBody = z.object({ reason: z.string().trim().min(1).max(2000) });
export const optionalReasonBody = z.object({ reason: z.string().trim().max(2000).optional() }).optional();
export const strategyBody = z.object({ strategy });
export const contractListQuery = z.object({ status: contractStatus.optional() });

/** The RL's columns of a contract and of a succession, as the API shows them. */
const rlView = {
  rlCivility: z.string(),
  rlFamilyName: z.string(),
  rlGivenName: z.string(),
  rlEmail: z.string(),
  rlPhone: z.string(),
  rlIdnps: z.string().nullable(),
};

/** Who a mandataire or a habilitation designates, on which entity. */
const designatedPerson = {
  id: z.string(),
  ejFiness: z.string(),
  idnps: z.string(),
  familyName: z.string(),
  givenName: z.string(),
  email: z.string(),
};

const historyEntry = z.object({
  id: z.coerce.string(),
  at: z.date(),
  actorId: z.string(),
  actorKind: z.string(),
  action: z.string(),
  before: z.unknown(),
  after: z.unknown(),
});

export const contractView = z
  .object({
    id: z.string(),
    ejFiness: z.string(),
    ejName: z.string().nullable(),
    status: contractStatus,
    strategy,
    ...rlView,
    cdeIdnps: z.string().nullable(),
    signedOn: z.string().nullable(),
    hasSignedContract: z.boolean(),
    decisionReason: z.string().nullable(),
    submittedAt: z.date().nullable(),
    decidedAt: z.date().nullable(),
    terminatedAt: z.date().nullable(),
    createdAt: z.date(),
    updatedAt: z.date(),
    egFiness: z.string().nullable().describe('Set for a contract at FINESS géographique level'),
    siret: z.string().nullable(),
    address: z.string().nullable(),
    rlCardMatricule: z.string().nullable(),
    mieCguVersion: z.string().nullable(),
    mieCguAcceptedAt: z.date().nullable(),
  })
  .meta({ id: 'Contract' });
export const contractDetail = contractView.extend({ history: z.array(historyEntry) }).meta({ id: 'ContractDetail' });

export const entityView = z
  .object({
    ejFiness: z.string(),
    name: z.string(),
    contractId: z.string().nullable(),
    contractStatus: contractStatus.nullable(),
    strategy: strategy.nullable(),
    establishments: z.array(z.object({ finess: z.string(), name: z.string(), open: z.boolean() })),
    can: z.object({ changeStrategy: z.boolean(), manageMandataires: z.boolean(), manageHabilitations: z.boolean() }),
  })
  .meta({ id: 'OnboardingEntity' });

export const strategyResult = z.object({ ejFiness: z.string(), strategy, revokedHabilitations: z.array(z.string()) });

export const mandataireBody = z.object({
  idnps: z.string().trim().min(1).max(40),
  familyName: z.string().trim().min(1).max(200),
  givenName: z.string().trim().min(1).max(200),
  email: z.string().trim().min(3).max(320),
});
export const mandataireView = z
  .object({
    ...designatedPerson,
    createdAt: z.date(),
    revokedAt: z.date().nullable(),
  })
  .meta({ id: 'Mandataire' });

export const habilitationView = z
  .object({
    ...designatedPerson,
    scope: z.enum(['ej', 'eg']),
    egFiness: z.array(z.string()),
    status: z.enum(['active', 'revoked']),
    credential: z.enum(['card', 'ecps']),
    cardForm: z.enum(['F301', 'F502']).nullable(),
    cardFormReference: z.string().nullable(),
    elearningCompletedOn: z.string(),
    endsOn: z.string().nullable(),
    revokedAt: z.date().nullable(),
    revokeReason: z.string().nullable(),
    createdAt: z.date(),
    updatedAt: z.date(),
  })
  .meta({ id: 'Habilitation' });
export const habilitationDetail = habilitationView.extend({ history: z.array(historyEntry) }).meta({ id: 'HabilitationDetail' });
export const habilitationListQuery = z.object({ status: z.enum(['active', 'revoked']).optional() });
export const habilitationPatchBody = z.object({
  scope: z.enum(['ej', 'eg']).optional(),
  egFiness: z.array(z.string().trim().min(1).max(9)).max(200).optional(),
  endsOn: date.nullable().optional(),
});

/** The multipart form of a new habilitation (documented for OpenAPI; checked by the service). */
export const habilitationForm = z
  .object({
    idnps: z.string(),
    familyName: z.string(),
    givenName: z.string(),
    email: z.string(),
    credential: z.enum(['card', 'ecps']),
    cardForm: z.enum(['F301', 'F502']).optional(),
    cardFormReference: z.string().optional(),
    elearningCompletedOn: date,
    scope: z.enum(['ej', 'eg']),
    egFiness: z.array(z.string()).optional().describe('Repeat the field for several EG'),
    endsOn: date.optional(),
    attestation: z.unknown().describe('PDF of the e-learning attestation (mandatory)'),
  })
  .meta({ id: 'HabilitationForm' });

export const homeView = z
  .object({
    operator: z.boolean(),
    pendingContracts: z.number().int().nullable(),
    entities: z.array(
      z.object({
        ejFiness: z.string(),
        name: z.string().nullable(),
        legalRepresentative: z.boolean(),
        manageHabilitations: z.boolean(),
        registerScope: z.object({
          kind: z.enum(['ej', 'eg']),
          establishments: z.array(z.object({ finess: z.string(), name: z.string().nullable() })),
        }),
      }),
    ),
    myRequests: z.array(
      z.object({ id: z.string(), ejFiness: z.string(), ejName: z.string().nullable(), status: contractStatus, decisionReason: z.string().nullable() }),
    ),
    myHabilitations: z.array(habilitationView),
  })
  .meta({ id: 'OnboardingHome' });

export const successionBody = z.object({
  rl: rlBody,
  mieCguVersion: z.string().trim().min(1).max(60).describe('Version of the MIE terms of use the new RL read'),
  reason: z.string().trim().min(1).max(2000).describe('Why the RL changes (departure, new director…)'),
});
export const successionListQuery = z.object({ status: z.enum(['pending', 'approved', 'refused']).optional() });
export const successionView = z
  .object({
    id: z.string(),
    contractId: z.string(),
    entityFiness: z.string(),
    ejFiness: z.string(),
    egFiness: z.string().nullable(),
    status: z.enum(['pending', 'approved', 'refused']),
    ...rlView,
    rlCardMatricule: z.string().nullable(),
    mieCguVersion: z.string(),
    reason: z.string(),
    requestedAt: z.date(),
    decidedAt: z.date().nullable(),
    decisionReason: z.string().nullable(),
  })
  .meta({ id: 'RlSuccession' });

export const orphanListQuery = z.object({ all: z.enum(['true', 'false']).optional().describe('true: also EG that never had a contract') });
export const orphanView = z
  .object({
    egFiness: z.string(),
    egName: z.string(),
    ejFiness: z.string().nullable(),
    ejName: z.string().nullable(),
    activeSituations: z.number().int(),
    lastContractId: z.string().nullable(),
    terminatedAt: z.date().nullable(),
  })
  .meta({ id: 'OrphanStructure' });
export const endSituationsBody = z.object({
  reason: z.string().trim().min(1).max(2000),
  confirm: z.literal(true).describe('Explicit confirmation: every active situation of the EG ends today'),
});
