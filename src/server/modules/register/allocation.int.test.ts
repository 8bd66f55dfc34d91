import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, fixedClock, type TestDatabase } from '../../../../tests/support/db.ts';
import { DomainError } from '../../errors.ts';
import { isValidRpps } from '../../identifiers.ts';
import { createRegisterService, type RegisterService } from './service.ts';
import { actor, distinctRegistration, registration, scope } from './testing.ts';

// test:clock: not date-sensitive (concurrency of the RPPS number allocation; no date logic).
let database: TestDatabase;
let service: RegisterService;
const clock = fixedClock('2026-11-23T10:00:00Z');

beforeAll(async () => {
  database = await createTestDatabase();
  service = createRegisterService({ db: database.db, clock, config: database.config });
});
afterAll(() => database?.close());

describe('RPPS allocation under concurrency', () => {
  it('200 concurrent registrations of distinct people get 200 distinct valid numbers', { timeout: 120_000 }, async () => {
    const results = await Promise.all(Array.from({ length: 200 }, (_, i) => service.registerProfessional(actor, scope, distinctRegistration(i))));
    const numbers = new Set(results.map((r) => r.rpps));
    expect(numbers.size).toBe(200);
    expect([...numbers].every(isValidRpps)).toBe(true);
    const { start, end } = database.config.rppsRange;
    expect([...numbers].every((n) => Number(n.slice(0, 10)) >= start && Number(n.slice(0, 10)) <= end)).toBe(true);
  });

  it('the same registration submitted twice at once (same key) gives one person and one number', async () => {
    const input = { ...distinctRegistration(1000), idempotencyKey: 'form-7f1c' };
    const [a, b] = await Promise.all([service.registerProfessional(actor, scope, input), service.registerProfessional(actor, scope, input)]);
    expect(a).toEqual(b);
    const persons = await database.db.selectFrom('person').select('id').where('email', '=', 'pro1000@exemple.fr').execute();
    expect(persons).toHaveLength(1);
    // And once more later (a reload): the same answer, nothing new.
    expect(await service.registerProfessional(actor, scope, input)).toEqual(a);
  });

  it('the same person from two tabs (different keys) is registered once', async () => {
    const first = { ...registration(2000, { etatCivil: { birthName: 'Tab', firstNames: ['Double'], birthDate: '1977-07-07' } }), idempotencyKey: 'tab-1' };
    const second = { ...first, contact: { email: 'tab2@exemple.fr', mobile: '0699999999' }, idempotencyKey: 'tab-2' };
    const settled = await Promise.allSettled([service.registerProfessional(actor, scope, first), service.registerProfessional(actor, scope, second)]);
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
    const rejected = settled.find((s) => s.status === 'rejected') as PromiseRejectedResult;
    expect((rejected.reason as DomainError).code).toBe('identity-already-registered');
  });
});

describe('RPPS number range', () => {
  it('moves to a configured range that starts later, and says clearly when it is exhausted', async () => {
    const start = 1_095_000_000;
    const narrow = createRegisterService({ db: database.db, clock, config: { rppsRange: { start, end: start + 1 } } });
    const a = await narrow.registerProfessional(actor, scope, distinctRegistration(3000));
    const b = await narrow.registerProfessional(actor, scope, distinctRegistration(3001));
    expect([a.rpps.slice(0, 10), b.rpps.slice(0, 10)]).toEqual([String(start), String(start + 1)]);
    let error: unknown;
    try {
      await narrow.registerProfessional(actor, scope, distinctRegistration(3002));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('rpps-range-exhausted');
    expect((error as DomainError).status).toBe(503);
    expect(await database.db.selectFrom('person').select('id').where('email', '=', 'pro3002@exemple.fr').execute()).toHaveLength(0);
  });

  it('never reuses a number, even after its person is gone', async () => {
    const ledger = await database.db.selectFrom('rppsNumber').select('rpps').execute();
    const persons = await database.db.selectFrom('person').select('rpps').execute();
    expect(ledger.length).toBeGreaterThanOrEqual(persons.length);
    const next = await service.registerProfessional(actor, scope, distinctRegistration(3003));
    expect(ledger.map((l) => l.rpps)).not.toContain(next.rpps);
  });
});
