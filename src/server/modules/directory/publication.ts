import { type Insertable, type Kysely, type Selectable, sql } from 'kysely';
import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import type { DB, DirectoryChangeTable, DirectoryPractitionerRoleTable, DirectoryPractitionerTable } from '../../db/schema.ts';
import { toSearchText } from '../../search-text.ts';

/**
 * Publication: copies the published part of the register into the directory read model.
 * It reads the register (person: RPPS number and identity status only; situations) and writes
 * only what the Annuaire Santé makes public (DOMAIN.md, "After registration"): exercise name,
 * profession, role, mode, structure, dates, identifiers. Never état civil nor contact data.
 *
 * Every write happens under one advisory lock (held until commit), so the change feed's sequence
 * follows commit order and two publishers never race on the same professional.
 */
const publicationLock = sql`SELECT pg_advisory_xact_lock(hashtext('directory.publication'))`;

type PractitionerRow = Selectable<DirectoryPractitionerTable>;
type RoleRow = Selectable<DirectoryPractitionerRoleTable>;

/** The public fields of a practitioner, in the order they are compared. */
interface PractitionerState {
  family: string | null;
  given: string | null;
  active: boolean;
  withdrawn: boolean;
}
interface RoleState {
  egFiness: string | null;
  ejFiness: string | null;
  egName: string | null;
  departmentCode: string | null;
  professionCode: string | null;
  professionLabel: string | null;
  roleCode: string | null;
  roleLabel: string | null;
  modeCode: string | null;
  startDate: string | null;
  endDate: string | null;
  active: boolean;
  withdrawn: boolean;
}

const practitionerId = (rpps: string) => rpps;

export interface PublicationReport {
  events: number;
  persons: number;
  changes: number;
}

export function createDirectoryPublication(deps: { db: Database; clock: Clock }) {
  const { db, clock } = deps;

  async function labels(trx: Kysely<DB>) {
    const rows = await trx.selectFrom('nomenclatureCode').select(['kind', 'code', 'label']).where('kind', 'in', ['profession', 'role']).execute();
    const map = new Map(rows.map((r) => [`${r.kind}:${r.code}`, r.label]));
    return (kind: 'profession' | 'role', code: string) => map.get(`${kind}:${code}`) ?? null;
  }

  async function recordChange(
    trx: Kysely<DB>,
    resourceType: 'Practitioner' | 'PractitionerRole',
    resourceId: string,
    rpps: string,
    change: 'created' | 'updated' | 'withdrawn',
    versionId: number,
    at: Date,
    data: Record<string, unknown>,
    writes?: Writes,
  ) {
    const row = { resourceType, resourceId, rpps, change, versionId, at, data: JSON.stringify(data) };
    if (writes) writes.changes.push(row);
    else await trx.insertInto('directoryChange').values(row).execute();
  }

  /**
   * What a batch of professionals needs, read in four queries (one per table) instead of four per
   * professional: a bulk import publishes thousands at once.
   */
  async function readBatch(trx: Kysely<DB>, personIds: readonly string[]) {
    const persons = await trx.selectFrom('person').select(['id', 'rpps', 'identityStatus']).where('id', 'in', personIds).execute();
    const situations = await trx
      .selectFrom('situation')
      .leftJoin('structure as eg', 'eg.finess', 'situation.egFiness')
      .select([
        'situation.personId',
        'situation.id',
        'situation.egFiness',
        'situation.professionCode',
        'situation.roleCode',
        'situation.modeCode',
        'situation.exerciseLastName',
        'situation.exerciseFirstName',
        'situation.startDate',
        'situation.endDate',
        'situation.status',
        'situation.updatedAt',
        'eg.ejFiness',
        'eg.name as egName',
        'eg.departmentCode',
      ])
      .where('situation.personId', 'in', personIds)
      .orderBy('situation.startDate', 'desc')
      .orderBy('situation.createdAt', 'desc')
      .execute();
    const ids = persons.map((p) => practitionerId(p.rpps));
    const roles = ids.length === 0 ? [] : await trx.selectFrom('directoryPractitionerRole').selectAll().where('practitionerId', 'in', ids).execute();
    const practitioners = ids.length === 0 ? [] : await trx.selectFrom('directoryPractitioner').selectAll().where('id', 'in', ids).execute();
    const group = <T, K>(rows: T[], key: (r: T) => K) => {
      const m = new Map<K, T[]>();
      for (const r of rows) m.set(key(r), [...(m.get(key(r)) ?? []), r]);
      return m;
    };
    return {
      person: new Map(persons.map((p) => [p.id, p])),
      situations: group(situations, (s) => s.personId),
      roles: group(roles, (r) => r.practitionerId),
      practitioner: new Map(practitioners.map((p) => [p.id, p])),
    };
  }
  type Batch = Awaited<ReturnType<typeof readBatch>>;
  interface Writes {
    practitioners: Insertable<DirectoryPractitionerTable>[];
    roles: Insertable<DirectoryPractitionerRoleTable>[];
    changes: Insertable<DirectoryChangeTable>[];
  }

  /** The new entries and changes of a batch, one multi-row insert per table (entries before their roles and changes). */
  async function flush(trx: Kysely<DB>, writes: Writes) {
    for (let i = 0; i < writes.practitioners.length; i += 1000) await trx.insertInto('directoryPractitioner').values(writes.practitioners.slice(i, i + 1000)).execute();
    for (let i = 0; i < writes.roles.length; i += 1000) await trx.insertInto('directoryPractitionerRole').values(writes.roles.slice(i, i + 1000)).execute();
    for (let i = 0; i < writes.changes.length; i += 1000) await trx.insertInto('directoryChange').values(writes.changes.slice(i, i + 1000)).execute();
  }

  /** Brings a batch of professionals' public entries in line with the register; returns the changes written. */
  async function publishPersons(trx: Kysely<DB>, personIds: readonly string[], label: Awaited<ReturnType<typeof labels>>): Promise<number> {
    if (personIds.length === 0) return 0;
    const batch = await readBatch(trx, personIds);
    const writes: Writes = { practitioners: [], roles: [], changes: [] };
    let changes = 0;
    for (const id of personIds) changes += await publishPerson(trx, id, label, batch, writes);
    await flush(trx, writes);
    return changes;
  }

  const changeKind = (existed: boolean, wasActive: boolean, nowActive: boolean) =>
    !existed ? (nowActive ? 'created' : 'withdrawn') : wasActive && !nowActive ? 'withdrawn' : 'updated';

  /** Brings one professional's public entries in line with the register; returns the changes written. */
  async function publishPerson(trx: Kysely<DB>, personId: string, label: Awaited<ReturnType<typeof labels>>, batch: Batch, writes: Writes): Promise<number> {
    const person = batch.person.get(personId);
    if (!person) return 0;
    const rejected = person.identityStatus === 'rejected';
    const situations = batch.situations.get(personId) ?? [];
    const id = practitionerId(person.rpps);
    const existingRoles = new Map((batch.roles.get(id) ?? []).map((r) => [r.id, r]));
    const existing = batch.practitioner.get(id);
    const visible = situations.filter((s) => s.status !== 'deleted');
    // Nothing public yet and nothing to publish: no entry at all (no trace of the person).
    if (!existing && (rejected || visible.length === 0)) return 0;

    const now = clock.now();
    let changes = 0;
    const named = visible.find((s) => s.status === 'active') ?? visible[0];
    const target: PractitionerState = rejected
      ? { family: null, given: null, active: false, withdrawn: true }
      : {
          family: named?.exerciseLastName ?? existing?.family ?? null,
          given: named?.exerciseFirstName ?? existing?.given ?? null,
          active: visible.some((s) => s.status === 'active'),
          withdrawn: visible.length === 0,
        };
    if (target.withdrawn) {
      target.family = null;
      target.given = null;
      target.active = false;
    }
    if (!existing || !samePractitioner(existing, target)) {
      const versionId = (existing?.versionId ?? 0) + 1;
      const values = {
        family: target.family,
        given: target.given,
        familySearch: toSearchText(target.family),
        givenSearch: toSearchText(target.given),
        nameSearch: toSearchText(target.family, target.given),
        active: target.active,
        withdrawn: target.withdrawn,
        versionId,
        lastUpdated: now,
      };
      if (existing) await trx.updateTable('directoryPractitioner').set(values).where('id', '=', id).execute();
      else writes.practitioners.push({ id, rpps: person.rpps, ...values });
      await recordChange(trx, 'Practitioner', id, person.rpps, changeKind(Boolean(existing), existing?.active ?? false, target.active), versionId, now, {
        rpps: person.rpps,
        active: target.active,
        family: target.family,
        given: target.given,
      }, writes);
      changes += 1;
    }

    for (const s of situations) {
      const before = existingRoles.get(s.id);
      const gone = rejected || s.status === 'deleted';
      if (!before && gone) continue;
      const state: RoleState = gone
        ? {
            egFiness: null,
            ejFiness: null,
            egName: null,
            departmentCode: null,
            professionCode: null,
            professionLabel: null,
            roleCode: null,
            roleLabel: null,
            modeCode: null,
            startDate: null,
            endDate: null,
            active: false,
            withdrawn: true,
          }
        : {
            egFiness: s.egFiness,
            ejFiness: s.ejFiness ?? null,
            egName: s.egName ?? null,
            departmentCode: s.departmentCode ?? null,
            professionCode: s.professionCode,
            professionLabel: label('profession', s.professionCode),
            roleCode: s.roleCode,
            roleLabel: label('role', s.roleCode),
            modeCode: s.modeCode,
            startDate: s.startDate,
            endDate: s.endDate,
            active: s.status === 'active',
            withdrawn: false,
          };
      if (before && sameRole(before, state)) continue;
      const versionId = (before?.versionId ?? 0) + 1;
      if (before) await trx.updateTable('directoryPractitionerRole').set({ ...state, versionId, lastUpdated: now }).where('id', '=', s.id).execute();
      else writes.roles.push({ id: s.id, practitionerId: id, rpps: person.rpps, ...state, versionId, lastUpdated: now });
      await recordChange(trx, 'PractitionerRole', s.id, person.rpps, changeKind(Boolean(before), before?.active ?? false, state.active), versionId, now, {
        rpps: person.rpps,
        practitioner: id,
        active: state.active,
        egFiness: state.egFiness,
        ejFiness: state.ejFiness,
        professionCode: state.professionCode,
        roleCode: state.roleCode,
        modeCode: state.modeCode,
        startDate: state.startDate,
        endDate: state.endDate,
      }, writes);
      changes += 1;
    }
    return changes;
  }

  return {
    /**
     * Applies the register events not yet published (the register's outbox, `register_event`
     * with `published_at` null), in batches, and marks them published. Idempotent: each event
     * only says "this professional changed"; his entries are recomputed from the register.
     */
    async publishPending(batchSize = 500): Promise<PublicationReport> {
      const report: PublicationReport = { events: 0, persons: 0, changes: 0 };
      for (;;) {
        const done = await db.transaction().execute(async (trx) => {
          await publicationLock.execute(trx);
          const events = await trx
            .selectFrom('registerEvent')
            .select(['id', 'personId'])
            .where('publishedAt', 'is', null)
            .orderBy('id')
            .limit(batchSize)
            .execute();
          if (events.length === 0) return true;
          const label = await labels(trx);
          const persons = [...new Set(events.map((e) => e.personId))];
          report.changes += await publishPersons(trx, persons, label);
          await trx
            .updateTable('registerEvent')
            .set({ publishedAt: clock.now() })
            .where(
              'id',
              'in',
              events.map((e) => e.id),
            )
            .execute();
          report.events += events.length;
          report.persons += persons.length;
          return events.length < batchSize;
        });
        if (done) return report;
      }
    },

    /** Recomputes the public entries of every professional of the register (`rpps directory rebuild`). */
    async rebuild(options: { batchSize?: number; onProgress?: (done: number) => void } = {}): Promise<PublicationReport> {
      const batchSize = options.batchSize ?? 1000;
      const report: PublicationReport = { events: 0, persons: 0, changes: 0 };
      // Events up to here are covered by the rebuild; later ones are published by the job.
      const lastEvent = (await db.selectFrom('registerEvent').select((eb) => eb.fn.max('id').as('id')).executeTakeFirst())?.id ?? null;
      let after = '00000000-0000-0000-0000-000000000000';
      for (;;) {
        const ids = await db.selectFrom('person').select('id').where('id', '>', after).orderBy('id').limit(batchSize).execute();
        if (ids.length === 0) break;
        await db.transaction().execute(async (trx) => {
          await publicationLock.execute(trx);
          const label = await labels(trx);
          report.changes += await publishPersons(trx, ids.map((r) => r.id), label);
        });
        report.persons += ids.length;
        after = ids[ids.length - 1]!.id;
        options.onProgress?.(report.persons);
      }
      // Entries whose person no longer exists in the register are withdrawn too.
      const orphans = await db
        .selectFrom('directoryPractitioner as d')
        .select('d.rpps')
        .where('d.withdrawn', '=', false)
        .where(({ not, exists, selectFrom }) => not(exists(selectFrom('person').select('person.id').whereRef('person.rpps', '=', 'd.rpps'))))
        .execute();
      if (orphans.length > 0) {
        await db.transaction().execute(async (trx) => {
          await publicationLock.execute(trx);
          const now = clock.now();
          for (const { rpps } of orphans) {
            const row = await trx
              .updateTable('directoryPractitioner')
              .set((eb) => ({ family: null, given: null, familySearch: '', givenSearch: '', nameSearch: '', active: false, withdrawn: true, versionId: eb('versionId', '+', 1), lastUpdated: now }))
              .where('rpps', '=', rpps)
              .returning(['id', 'versionId'])
              .executeTakeFirstOrThrow();
            await recordChange(trx, 'Practitioner', row.id, rpps, 'withdrawn', row.versionId, now, { rpps, active: false, family: null, given: null });
            report.changes += 1;
          }
        });
      }
      // The events are covered by the rebuild.
      if (lastEvent !== null) {
        await db.updateTable('registerEvent').set({ publishedAt: clock.now() }).where('publishedAt', 'is', null).where('id', '<=', lastEvent).execute();
      }
      return report;
    },

    /** Whether register events wait for publication (cheap: partial index on unpublished events). */
    async hasPending(): Promise<boolean> {
      const row = await db.selectFrom('registerEvent').select('id').where('publishedAt', 'is', null).limit(1).executeTakeFirst();
      return row !== undefined;
    },
  };
}
export type DirectoryPublication = ReturnType<typeof createDirectoryPublication>;

function samePractitioner(a: PractitionerRow, b: PractitionerState) {
  return a.family === b.family && a.given === b.given && a.active === b.active && a.withdrawn === b.withdrawn;
}

function sameRole(a: RoleRow, b: RoleState) {
  return (Object.keys(b) as (keyof RoleState)[]).every((k) => (a[k] ?? null) === (b[k] ?? null));
}
