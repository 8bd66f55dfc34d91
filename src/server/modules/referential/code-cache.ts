import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { NomenclatureKind } from './schemas.ts';

/**
 * The nomenclature codes in memory, per database (issue 18: a registration checked six codes with
 * six reads, and each wizard step again), and the communes already read (by INSEE code, as they
 * are asked: a birth place is checked at each registration). They change only when `seedReferential` loads new files
 * or `openSoonAvailableProfessions` applies its setting, both at every start of every instance,
 * before it serves: those call `forgetCachedCodes`, and a cache older than `maxAgeMs` is read
 * again (an instance that started before another one's seed, during a rolling deploy).
 *
 * Users answer only a positive match from it (a code known and selectable that day, a commune
 * that has rows); anything else — unknown, closed, not yet open — goes to the database and its
 * messages, so a stale entry can never refuse a valid code.
 */
export interface CachedCode {
  kind: string;
  code: string;
  label: string;
  selectable: boolean;
  validFrom: string | null;
  validTo: string | null;
}

/** How long a loaded copy is trusted without a seed in this process (a few hundred rows to reload). */
export const maxAgeMs = 5 * 60_000;

/** The validity of one row of a commune (an INSEE code may have several). */
export interface CommuneValidity {
  validFrom: string | null;
  validTo: string | null;
}

interface Entry {
  generation: number;
  /** Monotonic time of the load: cache age, not business time (no clock). */
  loadedAt: number;
  codes: Promise<Map<string, CachedCode>> | undefined;
  communes: Map<string, readonly CommuneValidity[]>;
}

const caches = new WeakMap<object, Entry>();
let generation = 0;

/** Every cache of this process is read again on next use (after a seed or a setting change). */
export function forgetCachedCodes() {
  generation += 1;
}

const keyOf = (kind: string, code: string) => `${kind}:${code}`;

/** This database's copy, a new one when it is stale. */
function entryOf(db: Kysely<DB>): Entry {
  let entry = caches.get(db);
  if (!entry || entry.generation !== generation || performance.now() - entry.loadedAt > maxAgeMs) {
    entry = { generation, loadedAt: performance.now(), codes: undefined, communes: new Map() };
    caches.set(db, entry);
  }
  return entry;
}

/** The code as the table holds it, or `undefined` when this copy does not know it. */
export async function cachedCode(db: Kysely<DB>, kind: NomenclatureKind, code: string): Promise<CachedCode | undefined> {
  const entry = entryOf(db);
  if (!entry.codes) {
    const codes = db
      .selectFrom('nomenclatureCode')
      .select(['kind', 'code', 'label', 'selectable', 'validFrom', 'validTo'])
      .execute()
      .then((rows) => new Map(rows.map((r) => [keyOf(r.kind, r.code), r])));
    entry.codes = codes;
    // A failed load is not kept: the next use tries again.
    codes.catch(() => {
      if (entry.codes === codes) entry.codes = undefined;
    });
  }
  return (await entry.codes).get(keyOf(kind, code));
}

/** The rows of a commune read earlier, or `undefined` when this copy has not seen it. */
export function cachedCommune(db: Kysely<DB>, inseeCode: string): readonly CommuneValidity[] | undefined {
  return entryOf(db).communes.get(inseeCode);
}

/** Keeps the rows of a commune just read (an unknown code is not kept: it is read again). */
export function rememberCommune(db: Kysely<DB>, inseeCode: string, rows: readonly CommuneValidity[]) {
  if (rows.length > 0) entryOf(db).communes.set(inseeCode, rows.map(({ validFrom, validTo }) => ({ validFrom, validTo })));
}
