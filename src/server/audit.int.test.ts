import type { CompiledQuery } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../tests/support/db.ts';
import { anonymous, type PersonActor } from './auth/actor.ts';
import { AuditPersonalDataError, auditActorOf, createAuditWriter, recordAudit } from './audit.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => t?.close());

const at = new Date('2026-03-02T10:00:00Z');
const actor = { id: 'account:42', kind: 'gestionnaire' };
const rowsOf = (entityId: string) => t.db.selectFrom('auditEvent').selectAll().where('entityType', '=', 'test').where('entityId', '=', entityId).execute();

describe('recordAudit', () => {
  it('writes who, when, what, on which entity, with before/after as JSON (null when not given)', async () => {
    await recordAudit(t.db, { at, actor, action: 'test.update', entityType: 'test', entityId: 'a', before: { status: 'active', egFiness: ['750712184'] }, after: { status: 'ended', endDate: null } });
    await recordAudit(t.db, { at, actor, action: 'test.touch', entityType: 'test', entityId: 'a' });
    const rows = await rowsOf('a');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ actorId: 'account:42', actorKind: 'gestionnaire', action: 'test.update', before: { status: 'active', egFiness: ['750712184'] }, after: { status: 'ended', endDate: null } });
    expect(new Date(rows[0]!.at).toISOString()).toBe(at.toISOString());
    expect(rows[1]).toMatchObject({ action: 'test.touch', before: null, after: null });
  });

  it('refuses état civil, contact and secrets, at any depth, and writes nothing', async () => {
    const leaks: unknown[] = [{ email: 'jean@example.org' }, { person: { birthName: 'DUPONT' } }, { lines: [{ ok: 1 }, { mobile: '0612345678' }] }, { code: '123456' }];
    for (const after of leaks) {
      // Values built from rows can escape the type check; the run-time check still holds.
      await expect(recordAudit(t.db, { at, actor, action: 'test.leak', entityType: 'test', entityId: 'b', after: after as never })).rejects.toBeInstanceOf(AuditPersonalDataError);
    }
    await expect(recordAudit(t.db, { at, actor, action: 'test.leak', entityType: 'test', entityId: 'b', before: { etatCivil: { sexe: 'M' } } as never })).rejects.toThrow(/before\.etatCivil/);
    expect(await rowsOf('b')).toHaveLength(0);
    // @ts-expect-error a forbidden field does not type-check either
    const typed = () => recordAudit(t.db, { at, actor, action: 'test.leak', entityType: 'test', entityId: 'b', after: { birthDate: '1980-01-01' } });
    await expect(typed()).rejects.toBeInstanceOf(AuditPersonalDataError);
  });

  it('rolls back the change it records when the entry is refused', async () => {
    await expect(
      t.db.transaction().execute(async (trx) => {
        await recordAudit(trx, { at, actor, action: 'test.ok', entityType: 'test', entityId: 'c', after: { status: 'active' } });
        await recordAudit(trx, { at, actor, action: 'test.leak', entityType: 'test', entityId: 'c', after: { contact: 'x' } as never });
      }),
    ).rejects.toBeInstanceOf(AuditPersonalDataError);
    expect(await rowsOf('c')).toHaveLength(0);
  });
});

describe('auditActorOf', () => {
  it('names the account or the API key, never the person', () => {
    const person: PersonActor = { kind: 'person', accountId: 'acc-1', sessionId: 's', provider: 'psc', idnps: '810000000001', familyName: 'DUPONT', givenName: 'Jean', roles: [], csrfToken: 'x' };
    expect(auditActorOf(person)).toEqual({ id: 'account:acc-1', kind: 'person' });
    expect(auditActorOf({ kind: 'machine', apiKeyId: 'k-9', name: 'DMP', scopes: [], ejFiness: null })).toEqual({ id: 'api-key:k-9', kind: 'machine' });
    expect(auditActorOf(anonymous)).toEqual({ id: 'anonymous', kind: 'anonymous' });
  });
});

describe('createAuditWriter (group commit)', () => {
  it('writes the rows of concurrent records in shared INSERTs and resolves each only once its row is committed', async () => {
    const writer = createAuditWriter(t.db, { maxDelayMs: 20, maxRows: 25 });
    const seen: number[] = [];
    await Promise.all(
      Array.from({ length: 60 }, async (_, i) => {
        await writer.record({ at, actor, action: 'test.decide', entityType: 'test', entityId: `group-${i}` });
        // Resolved: the row is there, from any other connection.
        seen.push((await rowsOf(`group-${i}`)).length);
      }),
    );
    expect(seen).toEqual(Array.from({ length: 60 }, () => 1));
    const rows = await t.db.selectFrom('auditEvent').select('id').where('entityId', 'like', 'group-%').execute();
    expect(rows).toHaveLength(60);
    await writer.close();
  });

  it('writes each column of each row as given, JSON with quotes, backslashes and accents included', async () => {
    const writer = createAuditWriter(t.db);
    const tricky = { note: 'a "quoted" \\ back\\slash, {braces}, commas, NULL, é ü 🙂', list: ['x,y', null, '"'], n: 1.5, yes: true };
    const at2 = new Date('2026-03-02T10:00:00.123Z');
    await Promise.all([
      writer.record({ at: at2, actor: { id: 'api-key:1', kind: 'machine' }, action: 'test.escape', entityType: 'test', entityId: 'escape-1', before: tricky, after: null }),
      writer.record({ at, actor, action: 'test.escape', entityType: 'test', entityId: 'escape-2', after: { decisions: [['1', 'cr_consult', null, 'allow', 'role-grants-access']] } }),
    ]);
    const [one] = await rowsOf('escape-1');
    expect(one).toMatchObject({ actorId: 'api-key:1', actorKind: 'machine', action: 'test.escape', before: tricky, after: null });
    expect(new Date(one!.at).toISOString()).toBe(at2.toISOString());
    const [two] = await rowsOf('escape-2');
    expect(two).toMatchObject({ actorId: 'account:42', before: null, after: { decisions: [['1', 'cr_consult', null, 'allow', 'role-grants-access']] } });
    await writer.close();
  });

  it('rejects every record of a batch whose INSERT fails: nothing is reported written that is not', async () => {
    const writer = createAuditWriter(t.db, { maxDelayMs: 20 });
    const good = writer.record({ at, actor, action: 'test.decide', entityType: 'test', entityId: 'batch-mate' });
    // A row the table refuses (NOT NULL action), as a database failure at flush time would do.
    const bad = writer.record({ at, actor, action: null as unknown as string, entityType: 'test', entityId: 'broken' });
    await expect(bad).rejects.toThrow();
    await expect(good).rejects.toThrow();
    expect(await rowsOf('batch-mate')).toEqual([]);
    await writer.close();
  });

  it('without a timer: a lone row is written at once, rows arriving during a write share the next INSERT', async () => {
    let inserts = 0;
    // The writer runs one prepared statement (no Kysely query to transform): count its executions.
    const counting = new Proxy(t.db, {
      get(target, prop, receiver) {
        if (prop !== 'executeQuery') return Reflect.get(target, prop, receiver) as unknown;
        return (query: CompiledQuery) => {
          if (/insert into audit_event/.test(query.sql)) inserts++;
          return target.executeQuery(query);
        };
      },
    });
    const writer = createAuditWriter(counting, { maxConcurrentWrites: 1 });
    const first = writer.record({ at, actor, action: 'test.decide', entityType: 'test', entityId: 'lone' });
    // The first INSERT is under way (next turn of the event loop); these 30 wait for it, then go together.
    await new Promise((r) => setImmediate(r));
    expect(inserts).toBe(1);
    const followers = Array.from({ length: 30 }, (_, i) => writer.record({ at, actor, action: 'test.decide', entityType: 'test', entityId: `follower-${i}` }));
    await Promise.all([first, ...followers]);
    expect(inserts).toBe(2);
    expect(await t.db.selectFrom('auditEvent').select('id').where('entityId', 'like', 'follower-%').execute()).toHaveLength(30);
    await writer.close();
  });

  it('writes what waits when closed', async () => {
    const writer = createAuditWriter(t.db, { maxDelayMs: 60_000 });
    const pending = writer.record({ at, actor, action: 'test.decide', entityType: 'test', entityId: 'at-close' });
    await writer.close();
    await pending;
    expect(await rowsOf('at-close')).toHaveLength(1);
  });
});
