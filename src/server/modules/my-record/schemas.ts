import { z } from 'zod';
import { etatCivilView } from '../register/schemas.ts';

export const recordView = z.object({
  registered: z.literal(true),
  rpps: z.string(),
  etatCivil: etatCivilView.extend({ birthCountry: z.string().nullable() }),
  contact: z.object({ email: z.string(), mobile: z.string() }),
  situations: z.array(
    z.object({
      id: z.string(),
      egFiness: z.string(),
      egName: z.string().nullable(),
      ejFiness: z.string().nullable(),
      ejName: z.string().nullable(),
      professionCode: z.string(),
      roleCode: z.string(),
      exerciseLastName: z.string(),
      exerciseFirstName: z.string(),
      startDate: z.string(),
      endDate: z.string().nullable(),
      status: z.string(),
      registeredOn: z.string(),
    }),
  ),
  pendingChanges: z.array(z.object({ id: z.string(), kind: z.enum(['email', 'mobile']), newValue: z.string(), expiresAt: z.string() })),
});
/**
 * GET /api/my-record: the record, or `{ registered: false }` for a Pro Santé Connect e-CPS
 * identity (IDNPS "8" + RPPS) that no record of RPPS+ carries (a staff member, say): that is a
 * state of the signed-in person, not an error (the page says so; no 404 in the browser's console).
 */
export const myRecordView = z.discriminatedUnion('registered', [recordView, z.object({ registered: z.literal(false) })]);
export const changeBody = z.object({ kind: z.enum(['email', 'mobile']), value: z.string().max(254) });
export const changeView = z.object({ id: z.string(), kind: z.enum(['email', 'mobile']), newValue: z.string(), expiresAt: z.string() });
export const confirmBody = z.object({ code: z.string().max(12) });
export const confirmResult = z.object({ contact: z.object({ email: z.string(), mobile: z.string() }) });
export const idParams = z.object({ id: z.string().max(64) });
