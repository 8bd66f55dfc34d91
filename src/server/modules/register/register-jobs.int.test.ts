import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, fixedClock, type TestDatabase } from '../../../../tests/support/db.ts';
import { createJobRuntime, silentLogger, type JobRuntime } from '../../jobs/index.ts';
import { outboxMailer } from '../../mail/mailer.ts';
import { createMailService, mailSendJob } from '../../mail/service.ts';
import { createRegisterDrafts } from './drafts.ts';
import { cogIdentityVerifier } from './identity.ts';
import { registerDaily, registerDailyCron, registerDailyJob, verifyIdentityJob } from './jobs.ts';
import { createRegisterService, type RegisterService } from './service.ts';
import { actor, distinctRegistration, egInScope, scope } from './testing.ts';
import { until as waitUntil } from '../../../../tests/support/until.ts';

/** The register's outbox work: the registration mail, the identity check, the daily job (issue 6). */
let t: TestDatabase;
let runtime: JobRuntime;
let service: RegisterService;
const clock = fixedClock('2026-11-23T10:00:00Z');

const until = <T>(probe: () => Promise<T | undefined>, timeoutMs?: number) => waitUntil(probe, { timeoutMs });

beforeAll(async () => {
  t = await createTestDatabase();
  runtime = createJobRuntime({
    database: t,
    databaseUrl: t.config.databaseUrl,
    worker: true,
    pollingIntervalSeconds: 0.5,
    jobs: [mailSendJob({ db: t.db, mailer: outboxMailer, clock }), verifyIdentityJob({ db: t.db, clock }), registerDailyJob({ db: t.db, clock, config: t.config })],
  });
  await runtime.start({ log: silentLogger });
  service = createRegisterService({ db: t.db, clock, config: t.config, jobs: runtime, mail: createMailService({ jobs: runtime, clock }) });
});
afterAll(async () => {
  await runtime?.stop();
  await t?.close();
});

describe('after a registration', () => {
  it('queues the e-mail with the RPPS number in the same transaction and verifies the identity', async () => {
    const { rpps, personId } = await service.registerProfessional(actor, scope, distinctRegistration(1));
    const mail = await t.db.selectFrom('mailMessage').selectAll().where('dedupeKey', '=', `registration-created:${personId}`).executeTakeFirstOrThrow();
    expect(mail.to).toBe('pro1@exemple.fr');
    expect(mail.subject).toContain(rpps);
    expect(mail.text).toContain(rpps);
    expect(mail.html).toContain('109 ');
    // Seed 000: the number and the summary of what was registered, how to correct it, how to
    // activate the e-CPS (issue 16 asks for the exercise names, which replaced "no name at all").
    expect(mail.text).toContain('Adresse électronique : pro1@exemple.fr');
    expect(mail.text).toContain('06 10 00 00 01');
    expect(mail.text).toMatch(new RegExp(`Établissement : .+ \\(FINESS ${egInScope}\\)`));
    expect(mail.text).toContain('Profession : Aide-soignant');
    expect(mail.text).toMatch(/Rôle : Accompagnement .*au soin/);
    expect(mail.text).toContain('PrenomB NomB');
    expect(mail.text).toContain('Une information est inexacte ?');
    expect(mail.text).toContain(`soit 8${rpps}`);
    expect(mail.text).toContain('/e-cps/activation');
    expect(mail.html).toContain('<li>Profession&nbsp;: <strong>Aide-soignant</strong></li>');
    // Still never the état civil: no birth date, no birth place.
    for (const secret of ['1960', '69123', 'Lyon', 'naissance']) expect(`${mail.text}${mail.html}`).not.toContain(secret);
    await until(async () => ((await t.db.selectFrom('mailMessage').select('status').where('id', '=', mail.id).executeTakeFirst())?.status === 'outbox' ? true : undefined));
    const status = await until(async () => {
      const p = await t.db.selectFrom('person').select(['identityStatus', 'identityCheckedBy']).where('id', '=', personId).executeTakeFirstOrThrow();
      return p.identityStatus === 'to_verify' ? undefined : p;
    });
    expect(status).toEqual({ identityStatus: 'verified', identityCheckedBy: 'verifier:cog' });
  });

  it('a failed registration queues no mail', async () => {
    const before = await t.db.selectFrom('mailMessage').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    await expect(service.registerProfessional(actor, scope, distinctRegistration(1))).rejects.toThrow();
    const after = await t.db.selectFrom('mailMessage').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('the daily job is scheduled with pg-boss cron', async () => {
    const schedules = await runtime.boss.getSchedules();
    expect(schedules).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'register.daily', cron: registerDailyCron, timezone: 'Europe/Paris' })]));
  });
});

describe('the COG identity verifier', () => {
  const verifier = () => cogIdentityVerifier(t.db);
  it('verifies a birth place that existed at the birth date', async () => {
    expect(await verifier().verify({ sexe: 'F', birthDate: '1985-06-15', birthCountryCode: '99100', birthCommuneCode: '69123' })).toEqual({ status: 'verified', reasons: [] });
  });
  it('sends to review a commune unknown, or one that did not exist at the birth date', async () => {
    expect(await verifier().verify({ sexe: 'F', birthDate: '1985-06-15', birthCountryCode: '99100', birthCommuneCode: '99999' })).toEqual({ status: 'to_review', reasons: ['commune-unknown'] });
    const later = await t.db.selectFrom('commune').select(['inseeCode', 'validFrom']).where('validFrom', 'is not', null).orderBy('validFrom', 'desc').executeTakeFirst();
    if (later?.validFrom) {
      const before = new Date(Date.parse(`${later.validFrom}T00:00:00Z`) - 86_400_000 * 400).toISOString().slice(0, 10);
      const onlyLater = await t.db.selectFrom('commune').select('validFrom').where('inseeCode', '=', later.inseeCode).execute();
      if (onlyLater.every((r) => r.validFrom !== null && r.validFrom > before)) {
        expect((await verifier().verify({ sexe: 'M', birthDate: before, birthCountryCode: '99100', birthCommuneCode: later.inseeCode })).reasons).toEqual(['commune-not-at-birth-date']);
      }
    }
  });
  it('sends to review an unknown country or a French commune for a birth abroad', async () => {
    expect((await verifier().verify({ sexe: 'M', birthDate: '1985-06-15', birthCountryCode: '99998', birthCommuneCode: null })).reasons).toEqual(['country-unknown']);
    expect((await verifier().verify({ sexe: 'M', birthDate: '1985-06-15', birthCountryCode: '99109', birthCommuneCode: '69123' })).reasons).toEqual(['commune-without-france']);
  });
});

describe('the daily register job', () => {
  it('ends a scheduled situation on its day, not before; deletes forgotten drafts', async () => {
    const { rpps } = await service.registerProfessional(actor, scope, distinctRegistration(2));
    const situation = await t.db.selectFrom('situation').innerJoin('person', 'person.id', 'situation.personId').select('situation.id').where('person.rpps', '=', rpps).executeTakeFirstOrThrow();
    await service.scheduleEnd(actor, scope, situation.id, { endDate: '2026-11-30', reason: 'interim-end' });
    const draftOwner = { id: 'account:test', kind: 'gestionnaire' };

    const run = async (iso: string) => {
      const at = fixedClock(iso);
      const register = createRegisterService({ db: t.db, clock: at, config: t.config });
      return registerDaily(register, createRegisterDrafts({ db: t.db, clock: at, register }));
    };
    const drafts = createRegisterDrafts({ db: t.db, clock, register: service });
    const draft = await drafts.create(draftOwner, 'all');

    // 23:59 on 29 November in Paris; then the cron's 00:05 on the 30th in Paris (23:05 UTC).
    expect(await run('2026-11-29T22:59:00Z')).toEqual({ ended: 0, draftsDeleted: 0 });
    expect((await t.db.selectFrom('situation').select('status').where('id', '=', situation.id).executeTakeFirstOrThrow()).status).toBe('active');
    expect((await run('2026-11-29T23:05:00Z')).ended).toBe(1);
    expect((await t.db.selectFrom('situation').select('status').where('id', '=', situation.id).executeTakeFirstOrThrow()).status).toBe('ended');
    expect((await run('2026-11-29T23:06:00Z')).ended).toBe(0);
    // The draft, untouched since 2026-11-23, goes after 30 days.
    expect((await run('2026-12-24T00:05:00Z')).draftsDeleted).toBe(1);
    await expect(drafts.get(draftOwner, 'all', draft.id)).rejects.toThrow();
  });
});
