import { type Kysely, type Selectable, sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB, StructureTable } from '../../db/schema.ts';
import { checkFiness } from '../../identifiers.ts';
import type { NomenclatureKind } from '../referential/schemas.ts';
import { communeExistedIn } from '../register/queries.ts';
import { normalizeEmail, normalizeMobile, type RegisterLookups } from '../register/validation.ts';
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

  // The contacts of the current batch: value → in use by a person of the register.
  let contacts = { email: new Map<string, boolean>(), mobile: new Map<string, boolean>() };

  const lookups: RegisterLookups = {
    code: (kind, code) => byCode.get(`${kind}:${code}`),
    structure: (finess) => (finessSet.has(finess) ? (structures.get(finess) ?? null) : undefined),
    commune: (code, on) => (communeSet.has(code) ? communeExistedIn(communes.get(code) ?? [], on) : undefined),
    contactInUse: (field, value) => contacts[field].get(value),
  };

  return {
    lookups,
    structures,
    label: (kind: NomenclatureKind, code: string) => byCode.get(`${kind}:${code}`)?.label ?? null,
    /** Reads, in two queries, which of these rows' e-mails and mobiles a person already uses. */
    /** The structure number of a row's EG as the rules read it (normalized when valid). */
    finessOf: (raw: string) => {
      const f = checkFiness(raw);
      return f.valid ? f.finess : undefined;
    },
    async loadContacts(batch: readonly RowInput[], executor: Kysely<DB> = db) {
      const emails = [...new Set(batch.flatMap((r) => (r.contact.email ? [normalizeEmail(r.contact.email)] : [])).filter((v): v is string => Boolean(v)))];
      const mobiles = [...new Set(batch.flatMap((r) => (r.contact.mobile ? [normalizeMobile(r.contact.mobile)] : [])).filter((v): v is string => Boolean(v)))];
      const used = {
        email: new Set(emails.length === 0 ? [] : (await executor.selectFrom('person').select('email').where('email', '=', sql<string>`ANY(${emails}::text[])`).execute()).map((p) => p.email)),
        mobile: new Set(mobiles.length === 0 ? [] : (await executor.selectFrom('person').select('mobile').where('mobile', '=', sql<string>`ANY(${mobiles}::text[])`).execute()).map((p) => p.mobile)),
      };
      contacts = {
        email: new Map(emails.map((e) => [e, used.email.has(e)])),
        mobile: new Map(mobiles.map((m) => [m, used.mobile.has(m)])),
      };
    },
  };
}
export type ImportLookups = Awaited<ReturnType<typeof loadImportLookups>>;

function* chunks<T>(items: T[], size = 5000): Generator<T[]> {
  for (let i = 0; i < items.length; i += size) yield items.slice(i, i + size);
}
