import { z } from 'zod';
import { etatCivilView as registerEtatCivilView } from '../register/schemas.ts';

/**
 * Bodies are open objects on purpose: an état-civil key must reach the service, which refuses it
 * with a 422 naming the field (a strict schema would answer a generic 400).
 */
const maybe = z.string().max(200).nullish();

export const draftBody = z.looseObject({
  contact: z.looseObject({ email: maybe, mobile: maybe }).optional(),
  situation: z
    .looseObject({ egFiness: maybe, professionCode: maybe, roleCode: maybe, startDate: maybe, exerciseLastName: maybe, exerciseFirstName: maybe })
    .optional(),
  termsAccepted: z.boolean().optional(),
});

export const validateBody = z.looseObject({
  declarations: z.object({ accurateAndInformed: z.boolean(), metInPerson: z.boolean() }),
  professionCode: z.string().max(20).optional(),
  roleCode: z.string().max(20).optional(),
  startDate: z.string().max(10).optional(),
  exerciseLastName: z.string().max(200).optional(),
  exerciseFirstName: z.string().max(200).optional(),
  notDuplicateOf: z.array(z.string().max(11)).max(50).optional(),
});

export const rejectBody = z.looseObject({ reason: z.string().max(2000) });

export const idParams = z.object({ id: z.string().max(64) });
export const establishmentQuery = z.object({ q: z.string().max(100).default(''), limit: z.coerce.number().int().min(1).max(50).default(20) });

const etatCivilView = registerEtatCivilView.extend({ birthCountry: z.string().nullable() });

export const requestView = z.object({
  id: z.string(),
  status: z.enum(['draft', 'pending', 'validated', 'rejected', 'withdrawn']),
  /** Where the état civil comes from: the professional's FranceConnect identity, or a gestionnaire's bulk-import file. */
  source: z.enum(['franceconnect', 'bulk-import']),
  etatCivil: etatCivilView,
  contact: z.object({ email: z.string(), mobile: z.string() }),
  situation: z.object({
    egFiness: z.string().nullable(),
    egName: z.string().nullable(),
    professionCode: z.string().nullable(),
    roleCode: z.string().nullable(),
    startDate: z.string().nullable(),
    exerciseLastName: z.string().nullable(),
    exerciseFirstName: z.string().nullable(),
  }),
  termsAccepted: z.boolean(),
  submittedAt: z.string().nullable(),
  ageDays: z.number(),
  decidedAt: z.string().nullable(),
  rejectReason: z.string().nullable(),
  rpps: z.string().nullable(),
});

export const meView = z.object({ etatCivil: etatCivilView, requests: z.array(requestView) });
export const queueView = z.object({ items: z.array(requestView) });
export const detailView = requestView.extend({
  existingRpps: z.string().nullable(),
  likelyDuplicates: z.array(z.object({ rpps: z.string(), exerciseLastName: z.string().nullable(), exerciseFirstName: z.string().nullable(), birthYear: z.number() })),
});
export const establishmentList = z.object({
  items: z.array(z.object({ finess: z.string(), name: z.string(), ejFiness: z.string().nullable(), city: z.string().nullable(), postalCode: z.string().nullable() })),
});
export const decisionResult = z.object({
  status: z.enum(['validated', 'rejected']),
  rpps: z.string().optional(),
  situationId: z.string().optional(),
  newPerson: z.boolean().optional(),
});
