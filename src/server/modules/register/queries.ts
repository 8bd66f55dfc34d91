import { type ExpressionBuilder, type Kysely, type RawBuilder, sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DB, SituationStatus } from '../../db/schema.ts';
import { escapeLike, toSearchText } from '../../search-text.ts';
import { normalizeName } from './names.ts';
import type { EgScope } from './types.ts';

type Db = Kysely<DB>;

export async function communeExistedOn(db: Db, inseeCode: string, on: string | undefined): Promise<'yes' | 'unknown' | 'not-at-date'> {
  return communeExistedIn(await communeRows(db, inseeCode), on);
}

/** The validity of every row of an INSEE code (none: unknown code). */
export function communeRows(db: Db, inseeCode: string) {
  return db.selectFrom('commune').select(['validFrom', 'validTo']).where('inseeCode', '=', inseeCode).execute();
}

/** `communeExistedOn` over the commune's rows already read (a bulk import reads them once). */
export function communeExistedIn(rows: readonly { validFrom: string | null; validTo: string | null }[], on: string | undefined): 'yes' | 'unknown' | 'not-at-date' {
  if (rows.length === 0) return 'unknown';
  if (!on) return 'yes';
  const existed = rows.some((r) => (r.validFrom === null || r.validFrom <= on) && (r.validTo === null || r.validTo > on));
  return existed ? 'yes' : 'not-at-date';
}

export async function personIdUsingContact(db: Db, field: 'email' | 'mobile', value: string, exceptPersonId?: string) {
  let q = db.selectFrom('person').select('id').where(field, '=', value);
  if (exceptPersonId) q = q.where('id', '<>', exceptPersonId);
  return (await q.executeTakeFirst())?.id;
}

export interface DuplicateProbe {
  birthDate: string;
  /** Dates one typing slip away (duplicates.ts, birthDateSlips). */
  slipDates: string[];
  /** nameKey of the birth name and of the usage name. */
  familyKeys: string[];
  /** Normalized family names, space-joined, for trigram similarity. */
  familyText: string;
  firstNameKeys: string[];
}

/**
 * Persons who may be the one being registered, a superset (`matchIdentity` takes the decision):
 * - born the same day (B-tree index, a few hundred rows at most even at 3 million persons) with
 *   a family name within two edits (fuzzystrmatch), a similar family name (pg_trgm, compound
 *   names) or a first name in common (which brings the married name typed as birth name);
 * - born on a date one slip away (a score of dates) with the same birth or usage name.
 * Each branch is an index scan on birth_date (EXPLAIN in docs/register.md).
 */
export function findDuplicateCandidates(db: Db, p: DuplicateProbe) {
  return duplicateCandidatesQuery(db, p).execute();
}

/**
 * The query of `findDuplicateCandidates`, not run (the bench prints its plan). The same day's
 * ~170 persons (3 M persons, issue 18) are filtered inside `person_duplicate_probe_idx`, an
 * index-only scan (the names are in the index) run once for their ids: only the candidates' rows
 * are read from the table, not the ~170 pages of everyone born that day. The slip dates go
 * through the name-key indexes as before; both sets of rows are read in one bitmap heap scan.
 */
export function duplicateCandidatesQuery(db: Db, p: DuplicateProbe) {
  const keys = sql.join(p.familyKeys.map((k) => sql`${k}`));
  // (The compiled-once statement of a registration passes placeholders here, registration-write.ts:
  // its slip dates are never empty, the fallback is drawn before.)
  const slipDates = p.slipDates.length === 0 ? [p.birthDate] : p.slipDates;
  const probe = {
    birthDate: sql`${p.birthDate}::date`,
    slipDates: sql`${slipDates}::date[]`,
    familyKeys: sql`ARRAY[${keys}]::text[]`,
    familyText: sql`${p.familyText}`,
    firstNameKeys: sql`${p.firstNameKeys}::text[]`,
  };
  return db
    .selectFrom('person')
    .select(duplicateCandidateColumns)
    .where(sql<boolean>`(person.id = ANY(ARRAY(SELECT person.id FROM person WHERE ${sameDayCandidate(probe)})) OR ${slipDateCandidate(probe)})`)
    .limit(200);
}

/** What a duplicate candidate carries (the single check's and a bulk import's batch query). */
export const duplicateCandidateColumns = [
  'person.id',
  'person.rpps',
  'person.sexe',
  'person.birthName',
  'person.usageName',
  'person.firstNames',
  'person.birthDate',
  'person.birthCountryCode',
  'person.birthCommuneCode',
  (eb: ExpressionBuilder<DB, 'person'>) =>
    eb
      .selectFrom('situation')
      .select(sql<string>`exercise_last_name || '|' || exercise_first_name`.as('n'))
      .whereRef('situation.personId', '=', 'person.id')
      .where('situation.status', '<>', 'deleted')
      .orderBy('situation.createdAt')
      .limit(1)
      .as('exerciseName'),
  // Where he works: decides whether the caller may be told who he is (issue 15).
  sql<string[]>`ARRAY(SELECT s.eg_finess FROM situation s WHERE s.person_id = person.id AND s.status <> 'deleted')`.as('egs'),
] as const;

/**
 * The candidate condition on `person`, over SQL expressions of a probe: parameters for one
 * identity, or the columns of a set of probes (a bulk import's batch, duplicate-batch.ts).
 */
export function duplicateCandidateCondition(p: CandidateProbe) {
  return sql<boolean>`(${sameDayCandidate(p)} OR ${slipDateCandidate(p)})`;
}

type CandidateProbe = { birthDate: RawBuilder<unknown>; slipDates: RawBuilder<unknown>; familyKeys: RawBuilder<unknown>; familyText: RawBuilder<unknown>; firstNameKeys: RawBuilder<unknown> };

/** Born the same day, with a close family name or a first name in common (only indexed columns of `person_duplicate_probe_idx`). */
function sameDayCandidate(p: CandidateProbe) {
  return sql<boolean>`(person.birth_date = ${p.birthDate} AND (
          EXISTS (SELECT 1 FROM unnest(${p.familyKeys}) AS k(key)
                  WHERE levenshtein_less_equal(person.birth_name_key, k.key, 2) <= 2
                     OR levenshtein_less_equal(coalesce(person.usage_name_key, ''), k.key, 2) <= 2)
          OR similarity(person.birth_name || ' ' || coalesce(person.usage_name, ''), ${p.familyText}) >= 0.3
          OR string_to_array(person.first_names_key, ' ') && ${p.firstNameKeys}))`;
}

/** Born one typing slip away, with the same family name. */
function slipDateCandidate(p: CandidateProbe) {
  return sql<boolean>`(person.birth_date = ANY(${p.slipDates})
            AND (person.birth_name_key = ANY(${p.familyKeys}) OR person.usage_name_key = ANY(${p.familyKeys})))`;
}

/**
 * Exercise-name defaults for a new situation of a registered person: the birth name and the
 * first first name (seed 004). The register keeps those without accents; an earlier situation
 * whose exercise name is the same name gives back its accents as typed then ("GUÉRIN").
 */
export async function exerciseNameDefaults(db: Db, person: { id: string; birthName: string; firstNames: string[] }) {
  const earlier = await db
    .selectFrom('situation')
    .select(['exerciseLastName', 'exerciseFirstName'])
    .where('personId', '=', person.id)
    .orderBy('createdAt', 'desc')
    .execute();
  const first = person.firstNames[0] ?? '';
  const same = (typed: string, stored: string) => normalizeName(typed) === stored;
  return {
    defaultLastName: earlier.find((s) => same(s.exerciseLastName, person.birthName))?.exerciseLastName ?? person.birthName,
    defaultFirstName: earlier.find((s) => same(s.exerciseFirstName, first))?.exerciseFirstName ?? first,
  };
}

/**
 * What the registration mail summarizes (seed 000, "Informations communiquées au professionnel
 * enregistré"): contact, EG (raison sociale, FINESS), profession and role labels, exercise names.
 */
export async function registrationSummaryOf(db: Db, situationId: string, contact: { email: string; mobile: string }) {
  const s = await db
    .selectFrom('situation')
    .innerJoin('person', 'person.id', 'situation.personId')
    .leftJoin('structure as eg', 'eg.finess', 'situation.egFiness')
    .leftJoin('nomenclatureCode as profession', (j) => j.onRef('profession.code', '=', 'situation.professionCode').on('profession.kind', '=', 'profession'))
    .leftJoin('nomenclatureCode as role', (j) => j.onRef('role.code', '=', 'situation.roleCode').on('role.kind', '=', 'role'))
    .select([
      'person.rpps',
      'situation.egFiness',
      'eg.name as egName',
      'situation.professionCode',
      'profession.label as professionLabel',
      'situation.roleCode',
      'role.label as roleLabel',
      'situation.exerciseLastName',
      'situation.exerciseFirstName',
    ])
    .where('situation.id', '=', situationId)
    .executeTakeFirstOrThrow();
  return {
    rpps: s.rpps,
    email: contact.email,
    mobile: contact.mobile,
    egFiness: s.egFiness,
    egName: s.egName,
    profession: s.professionLabel ?? s.professionCode,
    role: s.roleLabel ?? s.roleCode,
    exerciseLastName: s.exerciseLastName,
    exerciseFirstName: s.exerciseFirstName,
  };
}

export const scopeFilter = (scope: EgScope) => (scope === 'all' ? undefined : [...scope]);

export function findSituationInScope(db: Db, id: string, scope: EgScope) {
  let q = db
    .selectFrom('situation')
    .innerJoin('person', 'person.id', 'situation.personId')
    .selectAll('situation')
    .select(['person.rpps', 'person.birthDate'])
    .where('situation.id', '=', id)
    .where('situation.status', '<>', 'deleted');
  const egs = scopeFilter(scope);
  if (egs) q = egs.length === 0 ? q.where(sql<boolean>`false`) : q.where('situation.egFiness', 'in', egs);
  return q.executeTakeFirst();
}

export interface ProfessionalFilter {
  words: string[];
  rpps?: string;
  professionCode?: string;
  roleCode?: string;
  egFiness?: string;
  status?: SituationStatus;
}

export async function searchSituations(db: Database, scope: EgScope, f: ProfessionalFilter, limit: number, offset: number) {
  let q = db.selectFrom('situation').innerJoin('person', 'person.id', 'situation.personId');
  const egs = scopeFilter(scope);
  // Scope in the SQL itself (STYLE.md §4): rows outside it are never read.
  if (egs) q = egs.length === 0 ? q.where(sql<boolean>`false`) : q.where('situation.egFiness', 'in', egs);
  for (const w of f.words) q = q.where('situation.searchText', 'like', `%${escapeLike(w)}%`);
  if (f.rpps) q = q.where('person.rpps', '=', f.rpps);
  if (f.professionCode) q = q.where('situation.professionCode', '=', f.professionCode);
  if (f.roleCode) q = q.where('situation.roleCode', '=', f.roleCode);
  if (f.egFiness) q = q.where('situation.egFiness', '=', f.egFiness);
  q = f.status ? q.where('situation.status', '=', f.status) : q.where('situation.status', '<>', 'deleted');
  const [rows, count] = await Promise.all([
    q
      .select([
        'situation.id',
        'person.rpps',
        'situation.exerciseLastName',
        'situation.exerciseFirstName',
        'situation.egFiness',
        'situation.professionCode',
        'situation.roleCode',
        'situation.modeCode',
        'situation.startDate',
        'situation.endDate',
        'situation.endReason',
        'situation.status',
      ])
      .orderBy('situation.exerciseLastName')
      .orderBy('situation.exerciseFirstName')
      .orderBy('situation.id')
      .limit(limit)
      .offset(offset)
      .execute(),
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}

/** Open EG of the actor's scope matching a FINESS number or words of their name (situation step). */
export function searchEgInScope(db: Db, scope: EgScope, q: string, today: string, limit: number) {
  let query = db
    .selectFrom('structure')
    .select(['finess', 'name', 'ejFiness', 'city', 'postalCode', 'openedOn'])
    .where('kind', '=', 'EG')
    .where((eb) => eb.or([eb('closedOn', 'is', null), eb('closedOn', '>', today)]));
  const egs = scopeFilter(scope);
  if (egs) query = egs.length === 0 ? query.where(sql<boolean>`false`) : query.where('finess', 'in', egs);
  const compact = q.replace(/\s+/g, '');
  if (/^\d[\dAB]\d{0,7}$/i.test(compact)) query = query.where('finess', 'like', `${escapeLike(compact.toUpperCase())}%`);
  else for (const w of toSearchText(q).split(' ').filter(Boolean)) query = query.where('searchText', 'like', `%${escapeLike(w)}%`);
  return query.orderBy('name').orderBy('finess').limit(limit).execute();
}
