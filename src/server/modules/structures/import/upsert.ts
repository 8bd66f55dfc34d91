import type { Insertable } from 'kysely';
import type { Database } from '../../../db/database.ts';
import type { StructureTable } from '../../../db/schema.ts';
import { toSearchText } from '../../../search-text.ts';
import type { StructureFields, StructureRecord } from './record.ts';

const fields = [
  'ejFiness',
  'name',
  'longName',
  'categoryCode',
  'categoryLabel',
  'legalStatusCode',
  'legalStatusLabel',
  'siret',
  'siren',
  'addressLine',
  'postalCode',
  'city',
  'inseeCode',
  'departmentCode',
  'phone',
  'openedOn',
  'closedOn',
  'finessUpdatedOn',
] as const satisfies ReadonlyArray<keyof StructureFields>;

/** History rows name the column as the database does (`closed_on`), for auditors reading SQL. */
const column = (field: string) => field.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

export interface BatchCounts {
  inserted: number;
  updated: number;
  unchanged: number;
}

/**
 * Writes one batch of records (distinct FINESS numbers). New numbers are inserted; for known
 * ones only the fields the file carries are compared, and a difference updates the row and
 * writes one `structure_history` row per changed field with its before/after values (as
 * FINESS+ does). An identical record writes nothing, so re-importing a file is a no-op.
 */
export async function upsertBatch(db: Database, records: StructureRecord[], source: string, at: Date): Promise<BatchCounts> {
  const counts: BatchCounts = { inserted: 0, updated: 0, unchanged: 0 };
  if (records.length === 0) return counts;
  const existing = new Map(
    (
      await db
        .selectFrom('structure')
        .selectAll()
        .where(
          'finess',
          'in',
          records.map((r) => r.finess),
        )
        .execute()
    ).map((row) => [row.finess, row]),
  );

  const inserts: Insertable<StructureTable>[] = [];
  const history: Array<{ finess: string; field: string; oldValue: string | null; newValue: string | null; source: string; changedAt: Date }> = [];
  for (const record of records) {
    const before = existing.get(record.finess);
    if (!before) {
      const row = Object.fromEntries(fields.map((f) => [f, record[f] ?? null])) as Record<(typeof fields)[number], string | null>;
      inserts.push({
        ...row,
        finess: record.finess,
        kind: record.kind,
        name: record.name!,
        searchText: toSearchText(row.name, row.longName, row.city, record.finess),
        source,
        createdAt: at,
        updatedAt: at,
      });
      counts.inserted++;
      continue;
    }
    const changes: Partial<Record<(typeof fields)[number], string | null>> = {};
    if (before.kind !== record.kind) history.push({ finess: record.finess, field: 'kind', oldValue: before.kind, newValue: record.kind, source, changedAt: at });
    for (const f of fields) {
      const value = record[f];
      if (value === undefined || value === before[f]) continue;
      changes[f] = value;
      history.push({ finess: record.finess, field: column(f), oldValue: before[f], newValue: value, source, changedAt: at });
    }
    if (Object.keys(changes).length === 0 && before.kind === record.kind) {
      counts.unchanged++;
      continue;
    }
    const after = { ...before, ...changes, name: changes.name ?? before.name };
    await db
      .updateTable('structure')
      .set({
        ...changes,
        kind: record.kind,
        name: after.name,
        searchText: toSearchText(after.name, after.longName, after.city, record.finess),
        source,
        updatedAt: at,
      })
      .where('finess', '=', record.finess)
      .execute();
    counts.updated++;
  }
  if (inserts.length > 0) await db.insertInto('structure').values(inserts).execute();
  if (history.length > 0) await db.insertInto('structureHistory').values(history).execute();
  return counts;
}
