import { z } from 'zod';

export const outboxStatus = z.enum(['queued', 'sent', 'outbox', 'failed']);

export const outboxMailSummary = z
  .object({
    id: z.uuid(),
    to: z.string(),
    subject: z.string(),
    status: outboxStatus.describe('outbox = kept locally (no SMTP_URL); sent = handed to the SMTP server'),
    attempts: z.number().int(),
    createdAt: z.iso.datetime(),
    sentAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'OutboxMailSummary' });
export type OutboxMailSummary = z.infer<typeof outboxMailSummary>;

export const outboxMail = outboxMailSummary
  .extend({
    text: z.string(),
    html: z.string().nullable(),
    lastError: z.string().nullable(),
  })
  .meta({ id: 'OutboxMail' });
export type OutboxMail = z.infer<typeof outboxMail>;

export const outboxList = z.object({ items: z.array(outboxMailSummary) }).meta({ id: 'OutboxList' });
export type OutboxList = z.infer<typeof outboxList>;

export const outboxListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
