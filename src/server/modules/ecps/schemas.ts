import { z } from 'zod';

export const idnpsBody = z.object({
  idnps: z.string().max(40).describe('e-CPS identifier: 8 followed by the RPPS number (the RPPS number alone is accepted)'),
});

export const activationBody = idnpsBody.extend({
  code: z.string().max(20).describe('The one-time code received by SMS'),
});

/** The same answer whether the identifier exists or not, and whatever the e-CPS state (issue 15). */
export const codeSent = z
  .object({ message: z.string(), validMinutes: z.number().int() })
  .meta({ id: 'EcpsActivationCodeSent' });

export const ecpsStatus = z
  .object({
    idnps: z.string(),
    state: z.enum(['not-invited', 'invited', 'active', 'suspended']).describe('suspended: activated, but no active situation'),
    invitedAt: z.string().nullable(),
    activatedAt: z.string().nullable(),
  })
  .meta({ id: 'EcpsStatus' });
