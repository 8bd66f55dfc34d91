import { z } from 'zod';

export const audiences = ['gestionnaire', 'representant', 'professionnel', 'autre'] as const;
export const topics = ['adhesion', 'habilitation', 'enregistrement', 'pre-enregistrement', 'e-cps', 'import', 'autre'] as const;

export const supportRequestBody = z.object({
  audience: z.enum(audiences),
  topic: z.enum(topics),
  name: z.string().trim().min(1).max(200),
  email: z.email().max(320),
  finess: z.string().trim().regex(/^(\d{2}|2A|2B)\d{7}$/i, 'Numéro FINESS : 9 caractères.').nullish(),
  subject: z.string().trim().min(3).max(200),
  message: z.string().trim().min(10).max(5000),
});

export const supportReceipt = z.object({ reference: z.string(), createdAt: z.date() }).meta({ id: 'SupportReceipt' });

export const supportRequestView = z
  .object({
    id: z.string(),
    reference: z.string(),
    audience: z.enum(audiences),
    topic: z.enum(topics),
    name: z.string(),
    email: z.string(),
    finess: z.string().nullable(),
    subject: z.string(),
    message: z.string(),
    status: z.enum(['open', 'answered']),
    answer: z.string().nullable(),
    answeredAt: z.date().nullable(),
    createdAt: z.date(),
  })
  .meta({ id: 'SupportRequest' });

export const supportListQuery = z.object({ status: z.enum(['open', 'answered']).optional() });
export const supportAnswerBody = z.object({ answer: z.string().trim().min(3).max(10000) });
export const idParam = z.object({ id: z.uuid() });
