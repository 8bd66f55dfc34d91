import { type Kysely, type Selectable, sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB, StructureTable } from '../../db/schema.ts';
import { checkFiness } from '../../identifiers.ts';
import type { NomenclatureKind } from '../referential/schemas.ts';
import { communeExistedIn } from '../register/queries.ts';
import type { RegisterLookups } from '../register/validation.ts';
import type { RowInput } from './columns.ts';

type Structure = Selectable<StructureTable>;

/** The nomenclatures a row's codes are checked against. */
const kinds: NomenclatureKind[] = ['civilite', 'sexe', 'country', 'profession', 'role', 'mode-exercice'];

/**
 * What the register's rules read, loaded once per import (nomenclatures, the structures and
 * communes the file names) and once per batch (the contacts already used): the rows are then
 * checked in memory, by the register's own `check*` (validation.ts, `RegisterLookups`).
 */
export async function loadImportLookups(db: Database, inputs: readonly RowInput[]) {
  const codes = await db.selectFrom('nomenclatureCode').select(['kind', 'code', 'label', 'selectable', 'validFrom', 'validTo']).where('kind', 'in', kinds).execute();
  const byCode = new Map(codes.map((c) => [`${c.kind}:${c.code}`, c]));

  const finessSet = new Set<string>();
  const communeSet = new Set<string>();
  for (const { situation, etatCivil } of inputs) {
    const f = situation.egFiness ? checkFiness(situation.egFiness) : undefined;
    if (f?.valid) finessSet.add(f.finess);
    const commune = etatCivil.birthCommuneCode?.trim().toUpperCase();
    if (commune) communeSet.add(commune);
  }
  const structures = new Map<string, Structure>();
  for (const chunk of chunks([...finessSet])) {
    for (const s of await db.selectFrom('structure').selectAll().where('finess', 'in', chunk).execute()) structures.set(s.finess, s);
  }
  const communes = new Map<string, Array<{ validFrom: string | null; validTo: string | null }>>();
  for (const chunk of chunks([...communeSet])) {
    for (const c of await db.selectFrom('commune').select(['inseeCode', 'validFrom', 'validTo']).where('inseeCode', 'in', chunk).execute()) {
      communes.set(c.inseeCode, [...(communes.get(c.inseeCode) ?? []), c]);
    }
  }

  // The contacts of the current batch: value → in use by a person of the register (a value not
  // there goes to the database). During `checkAll`'s first pass every contact asked about is
  // answered "free" and noted.
  let contacts = { email: new Map<string, boolean>(), mobile: new Map<string, boolean>() };
  let firstPass = false;
  let asked: Array<['email' | 'mobile', string]> = [];

  const lookups: RegisterLookups = {
    code: (kind, code) => byCode.get(`${kind}:${code}`),
    structure: (finess) => (finessSet.has(finess) ? (structures.get(finess) ?? null) : undefined),
    commune: (code, on) => (communeSet.has(code) ? communeExistedIn(communes.get(code) ?? [], on) : undefined),
    contactInUse: (field, value) => {
      if (!firstPass) return contacts[field].get(value);
      asked.push([field, value]);
      return false;
    },
  };

  return {
    lookups,
    structures,
    label: (kind: NomenclatureKind, code: string) => byCode.get(`${kind}:${code}`)?.label ?? null,
    /** The structure number of a row's EG as the rules read it (normalized when valid). */
    finessOf: (raw: string) => {
      const f = checkFiness(raw);
      return f.valid ? f.finess : undefined;
    },
    /**
     * Runs `check` (the register's rules through `lookups`) on every row of a batch, as if the
     * contacts in use had been read first, with one query per kind of contact: a first pass answers
     * every e-mail and mobile "free" and notes the normalized values the rules asked about; one
     * query reads which of them a person uses; the rows that asked about one in use are checked
     * again, now with the answer (the form's messages). The rules normalize each contact once.
     */
    async checkAll<R, T>(rows: readonly R[], check: (row: R) => Promise<T>, executor: Kysely<DB> = db): Promise<T[]> {
      const results: T[] = [];
      const askedBy: Array<typeof asked> = [];
      firstPass = true;
      try {
        for (const row of rows) {
          asked = [];
          results.push(await check(row));
          askedBy.push(asked);
        }
      } finally {
        firstPass = false;
        asked = [];
      }
      const values = (field: 'email' | 'mobile') => [...new Set(askedBy.flatMap((a) => a.filter(([f]) => f === field).map(([, v]) => v)))];
      const emails = values('email');
      const mobiles = values('mobile');
      const used = {
        email: new Set(emails.length === 0 ? [] : (await executor.selectFrom('person').select('email').where('email', '=', sql<string>`ANY(${emails}::text[])`).execute()).map((p) => p.email)),
        mobile: new Set(mobiles.length === 0 ? [] : (await executor.selectFrom('person').select('mobile').where('mobile', '=', sql<string>`ANY(${mobiles}::text[])`).execute()).map((p) => p.mobile)),
      };
      contacts = {
        email: new Map(emails.map((e) => [e, used.email.has(e)])),
        mobile: new Map(mobiles.map((m) => [m, used.mobile.has(m)])),
      };
      for (let i = 0; i < rows.length; i++) {
        if (askedBy[i]!.some(([field, value]) => contacts[field].get(value))) results[i] = await check(rows[i]!);
      }
      return results;
    },
  };
}
export type ImportLookups = Awaited<ReturnType<typeof loadImportLookups>>;

function* chunks<T>(items: T[], size = 5000): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
