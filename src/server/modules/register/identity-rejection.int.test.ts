import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, fixedClock, type TestDatabase } from '../../../../tests/support/db.ts';
import type { OutgoingMail } from '../../mail/mailer.ts';
import type { MailService } from '../../mail/service.ts';
import { createAccessDecisionService } from '../access/decisions.ts';
import { createProfessionalAccessService } from '../access/professional.ts';
import { createSimulatedEcps } from '../ecps/service.ts';
import { createIdentityService } from './identity.ts';
import { createRegisterService } from './service.ts';
import { actor, distinctRegistration, scope } from './testing.ts';

/** Issue 15, hole 5: a rejected identity loses e-CPS sign-in, DMP access and MSSanté; people are told. */
let t: TestDatabase;
const clock = fixedClock('2026-11-23T10:00:00Z');
const sent: Array<{ mail: OutgoingMail; key: string }> = [];
const mail: MailService = {
  async queueMail(_trx, m, key) {
    sent.push({ mail: m, key });
    return { mailId: key, created: true };
  },
};

beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(() => t?.close());

describe('a rejected identity', () => {
  it('refuses e-CPS sign-in, DMP access and MSSanté eligibility, and tells the professional and the gestionnaires', async () => {
    const { rpps, personId } = await createRegisterService({ db: t.db, clock, config: t.config }).registerProfessional(actor, scope, distinctRegistration(915));
    const ecps = createSimulatedEcps({ db: t.db, clock, config: t.config });
    const now = clock.now();
    await t.db.insertInto('ecpsAccount').values({ personId, idnps: `8${rpps}`, status: 'active', invitedAt: now, activatedAt: now }).execute();
    const decisions = createAccessDecisionService({ db: t.db, clock });
    const access = createProfessionalAccessService({ db: t.db, clock, config: t.config });
    const caller = { id: 'api-key:test', kind: 'machine', requestId: 'r1' };
    const machine = { kind: 'machine' as const, apiKeyId: 'k', name: 'MSSanté', scopes: ['mssante:read'], ejFiness: null };

    expect((await ecps.authenticate(`8${rpps}`)).ok).toBe(true);
    expect((await access.mssante(machine, rpps)).eligible).toBe(true);
    const before = await decisions.decideOne(caller, { professional: rpps, documentType: 'cr_consult' });

    await t.db.updateTable('person').set({ identityStatus: 'to_review' }).where('id', '=', personId).execute();
    const identity = createIdentityService({ db: t.db, clock, verifier: { name: 'test', verify: async () => ({ status: 'verified', reasons: [] }) }, mail, config: t.config });
    await identity.decide({ id: 'account:operator', kind: 'operator' }, true, rpps, { decision: 'rejected', reason: 'Pièce illisible' });

    const signIn = await ecps.authenticate(`8${rpps}`);
    expect(signIn).toMatchObject({ ok: false, reason: 'identity-rejected', title: 'Identité à corriger' });
    expect(await access.mssante(machine, rpps)).toMatchObject({ eligible: false, reason: 'identity-rejected', structures: [] });
    const after = await decisions.decideOne(caller, { professional: rpps, documentType: before.documentType.key });
    expect([after.allow, after.reason, after.through]).toEqual([false, 'identity-rejected', []]);

    const person = await t.db.selectFrom('person').select('email').where('id', '=', personId).executeTakeFirstOrThrow();
    const toProfessional = sent.filter((s) => s.mail.to === person.email);
    expect(toProfessional).toHaveLength(1);
    expect(toProfessional[0]!.mail.text).toContain('Ce que vous devez faire');
    const toStaff = sent.filter((s) => s.mail.to !== person.email);
    expect(toStaff.length).toBeGreaterThan(0);
    for (const s of toStaff) expect(s.mail.subject).toBe(`Identité à corriger : professionnel RPPS ${rpps}`);
    // No état civil in any of them.
    const { etatCivil } = distinctRegistration(915);
    for (const s of sent) expect(s.mail.text).not.toContain(etatCivil.birthName!);
  });
});
