import type { z } from 'zod';
import type { supportReceipt, supportRequestBody, supportRequestView } from '../../../server/modules/support/schemas.ts';

/** API of the help desk (src/server/modules/support/). */
export type SupportRequestBody = z.input<typeof supportRequestBody>;
export type SupportReceipt = { reference: string; createdAt: string };
export type SupportRequest = Omit<z.infer<typeof supportRequestView>, 'createdAt' | 'answeredAt'> & { createdAt: string; answeredAt: string | null };
export type { supportReceipt };

export const supportApi = {
  contact: '/api/support/contact',
  requests: (status?: 'open' | 'answered') => `/api/support/requests${status ? `?status=${status}` : ''}`,
  answer: (id: string) => `/api/support/requests/${id}/answer`,
};
