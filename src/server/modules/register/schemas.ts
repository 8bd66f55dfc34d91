import { z } from 'zod';
import { problemSchema } from '../../http/problem.ts';
import { endReasons } from './service.ts';

/**
 * HTTP shapes of the register. Inputs are deliberately loose (optional, nullable strings): the
 * register's own rules check them and answer one 422 naming every field in French, the same
 * for the wizard, the API and imports. Only the JSON types are checked here.
 */
const text = z.string().max(500).nullish();

const etatCivilFields = z.object({
    civilite: text,
    sexe: text,
    birthName: text,
    usageName: text,
    firstNames: z.array(z.string().max(200).nullish()).max(20).nullish(),
    birthDate: text,
    birthCountryCode: text,
    birthCommuneCode: text,
    birthPlace: text,
});
export const etatCivilBody = etatCivilFields.meta({ id: 'EtatCivilForm' });

const contactFields = z.object({ email: text, mobile: text });
export const contactBody = contactFields.meta({ id: 'ContactForm' });

const situationFields = z.object({
    egFiness: text,
    professionCode: text,
    roleCode: text,
    modeCode: text,
    exerciseLastName: text,
    exerciseFirstName: text,
    startDate: text,
});
export const situationBody = situationFields.meta({ id: 'SituationForm' });

const declarationsFields = z.object({
    accurateAndInformed: z.boolean().nullish().describe('Les données sont exactes ; le professionnel a été informé des conditions d’utilisation et de ses droits'),
    metInPerson: z.boolean().nullish().describe('Le gestionnaire a rencontré le professionnel en personne'),
});
export const declarationsBody = declarationsFields.meta({ id: 'Declarations' });

export const duplicateCandidate = z
  .object({
    inScope: z.boolean().describe('The person has a situation in an EG of your scope; otherwise the other fields are null (a close identity is already registered: ANS will check it)'),
    rpps: z.string().nullable(),
    exerciseLastName: z.string().nullable(),
    exerciseFirstName: z.string().nullable(),
    birthYear: z.number().int().nullable(),
  })
  .meta({ id: 'DuplicateCandidate' });

export const duplicateProblem = problemSchema.extend({ candidates: z.array(duplicateCandidate).optional() }).meta({ id: 'DuplicateProblem' });

export const draftView = z
  .object({
    id: z.string(),
    ejFiness: z.string().nullable().describe('The structure (EJ) the draft belongs to'),
    etatCivil: etatCivilFields.nullable(),
    contact: contactFields.nullable(),
    situation: situationFields.nullable(),
    declarations: declarationsFields.nullable(),
    identityDocument: z.object({ originalName: z.string(), contentType: z.string(), sizeBytes: z.number() }).nullable(),
    completedSteps: z.array(z.enum(['etat-civil', 'contact', 'situation', 'declarations'])),
    rpps: z.string().nullable(),
    submittedAt: z.string().nullable(),
    updatedAt: z.string(),
  })
  .meta({ id: 'RegistrationDraft' });

export const stepResult = z.object({ draft: draftView, duplicates: z.array(duplicateCandidate) }).meta({ id: 'DraftStepResult' });

export const draftParams = z.object({ id: z.string().max(64) });
export const submitBody = z
  .object({
    notDuplicateOf: z.array(z.string().max(20)).max(20).optional(),
    outOfScopeAcknowledged: z.boolean().optional().describe('Go on despite a close identity outside your scope: the identity is sent to ANS review'),
  })
  .meta({ id: 'DraftSubmission' });
export const newDraftBody = z.object({ ejFiness: z.string().max(20).nullish() }).meta({ id: 'NewDraft' });
export const situationReportBody = z.object({ token: z.string().max(100) }).meta({ id: 'SituationReport' });
export const submitResult = z
  .object({
    rpps: z.string(),
    draftId: z.string(),
    registeredAt: z.iso.datetime().describe('When the registration was recorded (server clock, UTC; the same for a repeated submission)'),
  })
  .meta({ id: 'RegistrationResult' });

export const identityProbe = z
  .object({ rpps: z.string().max(20), birthName: z.string().max(200), firstName: z.string().max(200), sexe: z.string().max(5), birthDate: z.string().max(20) })
  .meta({ id: 'IdentityProbe' });
export const addSituationBody = z.object({ identity: identityProbe, situation: situationBody }).meta({ id: 'NewSituationOfExistingPerson' });

export const situationView = z
  .object({
    id: z.string(),
    egFiness: z.string(),
    professionCode: z.string(),
    roleCode: z.string(),
    modeCode: z.string(),
    exerciseLastName: z.string(),
    exerciseFirstName: z.string(),
    startDate: z.string(),
    endDate: z.string().nullable(),
    endReason: z.string().nullable(),
    status: z.enum(['active', 'ended', 'deleted']),
  })
  .meta({ id: 'Situation' });

export const professionalSearchQuery = z.object({
  q: z.string().max(100).optional(),
  professionCode: z.string().max(10).optional(),
  roleCode: z.string().max(10).optional(),
  egFiness: z.string().max(9).optional(),
  status: z.enum(['active', 'ended']).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export const professionalList = z
  .object({ items: z.array(situationView.extend({ rpps: z.string() })), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() })
  .meta({ id: 'ProfessionalList' });

/** The état civil as shown to those allowed to see it (the person himself, his gestionnaires). */
export const etatCivilView = z.object({
  civilite: z.string(),
  sexe: z.string(),
  birthName: z.string(),
  usageName: z.string().nullable(),
  firstNames: z.array(z.string()),
  birthDate: z.string(),
  birthCountryCode: z.string(),
  birthCommuneCode: z.string().nullable(),
  birthPlace: z.string().nullable(),
});

export const personView = z
  .object({
    rpps: z.string(),
    identityStatus: z.enum(['to_verify', 'verified', 'to_review', 'rejected']),
    etatCivil: etatCivilView,
    contact: z.object({ email: z.string().nullable(), mobile: z.string().nullable() }),
    contactMasked: z.boolean().describe('The contact was entered for another structure: e-mail and mobile are not shown'),
    situations: z.array(situationView),
  })
  .meta({ id: 'Professional' });

export const rppsParams = z.object({ rpps: z.string().max(20) });
export const situationParams = z.object({ id: z.string().max(64) });
export const situationPatch = z.object({ roleCode: z.string().max(20).optional(), egFiness: z.string().max(20).optional(), startDate: z.string().max(20).optional() }).meta({ id: 'SituationPatch' });
export const endBody = z
  .object({ endDate: z.string().max(20), reason: z.string().max(40).describe(`One of ${endReasons.join(', ')}`) })
  .meta({ id: 'SituationEnd' });

export const establishmentQuery = z.object({ q: z.string().trim().max(100).default(''), limit: z.coerce.number().int().min(1).max(50).default(20) });
export const establishmentList = z
  .object({
    items: z.array(z.object({ finess: z.string(), name: z.string(), ejFiness: z.string().nullable(), city: z.string().nullable(), postalCode: z.string().nullable(), openedOn: z.string().nullable() })),
  })
  .meta({ id: 'EstablishmentsInScope' });

export const reviewQuery = z.object({ page: z.coerce.number().int().min(1).max(10_000).default(1) });
export const reviewList = z
  .object({
    total: z.number().int(),
    items: z.array(
      z.object({
        rpps: z.string(),
        ...etatCivilView.omit({ civilite: true }).shape,
        birthCommuneName: z.string().nullable().describe('Name of the birth commune (INSEE code birthCommuneCode)'),
        birthCountryLabel: z.string().nullable().describe('Name of the birth country'),
        reasons: z.array(z.object({ code: z.string(), label: z.string() })),
        checkedAt: z.string().nullable(),
        hasIdentityDocument: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'IdentitiesToReview' });
export const decisionBody = z.object({ decision: z.string().max(20), reason: z.string().max(1000).nullish() }).meta({ id: 'IdentityDecision' });
export const decisionResult = z.object({ rpps: z.string(), identityStatus: z.string() });
