import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/db.ts';
import { IdentificationLockedError, IdentityChecksExhaustedError } from './errors.ts';
import { createIdentityChecks } from './identity-checks.ts';

// The budget's rules, whichever path `consume` takes (one statement when it lets the checks through).
let database: TestDatabase;
let at = new Date('2026-11-23T10:00:00Z');
const clock = { now: () => at };
const later = (ms: number) => (at = new Date(at.getTime() + ms));

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database?.close());

const checksOf = (perHour: number) => createIdentityChecks({ db: database.db, clock, config: { identityChecks: { perHour, failuresBeforeLock: 2, lockMinutes: 30 } } });

describe('identity check budget', () => {
  it('lets checks through up to the hourly budget, refuses the next with the time left, and renews the window after an hour', async () => {
    const checks = checksOf(3);
    const me = { id: 'account:budget-1', kind: 'gestionnaire' };
    await checks.consume(me, 'etat-civil-step', 1);
    later(60_000);
    await checks.consume(me, 'etat-civil-step', 2);
    const refused = await checks.consume(me, 'etat-civil-step', 1).catch((e) => e);
    expect(refused).toBeInstanceOf(IdentityChecksExhaustedError);
    expect(refused.retryAfterSeconds).toBe(3540);
    expect(await checks.consume({ id: 'account:budget-2', kind: 'gestionnaire' }, 'etat-civil-step', 4).catch((e) => e)).toBeInstanceOf(IdentityChecksExhaustedError);
    later(3_540_000);
    await checks.consume(me, 'etat-civil-step', 3);
    const row = await database.db.selectFrom('identityCheckQuota').selectAll().where('subject', '=', me.id).executeTakeFirstOrThrow();
    expect(row.checks).toBe(3);
    expect(new Date(row.windowStart)).toEqual(at);
  });

  it('a run of failed identifications locks identifications only, until the lock ends', async () => {
    const checks = checksOf(100);
    const me = { id: 'account:lock-1', kind: 'gestionnaire' };
    for (let i = 0; i < 2; i++) {
      await checks.consume(me, 'identify', 1);
      await checks.record(me, 'identify', { identities: 1, matched: false });
    }
    expect(await checks.consume(me, 'identify', 1).catch((e) => e)).toBeInstanceOf(IdentificationLockedError);
    await checks.consume(me, 'etat-civil-step', 1);
    later(30 * 60_000);
    await checks.consume(me, 'add-situation', 1);
    const audits = await database.db.selectFrom('auditEvent').select('action').where('entityId', '=', me.id).execute();
    expect(audits.filter((a) => a.action === 'identity.check')).toHaveLength(2);
    expect(audits.filter((a) => a.action === 'identity.identify-locked')).toHaveLength(1);
  });
});
