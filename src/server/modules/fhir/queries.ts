import { type Compilable, CompiledQuery, type Expression, type ExpressionBuilder, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { preparedStatement } from '../../db/prepared.ts';
import type { DB } from '../../db/schema.ts';
import { escapeLike, toSearchText } from '../../search-text.ts';
import {
  anchorWord,
  countPhraseUpTo,
  countWordPrefixUpTo,
  idOrderCandidates,
  maxPrefixWords,
  nameMatch,
  prefixWordCount,
  singleSearchWord,
  wordsWithPrefix,
} from '../directory/queries.ts';
import { invalid } from './outcome.ts';
import { finessOfOrganizationId, type ResourceType, systems } from './resources.ts';
import type { Criterion, Token } from './search.ts';

/**
 * SQL of the FHIR searches. Public reads touch the directory tables and `structure` (FINESS, public)
 * only, never the register. Paging is keyset on the logical id (no OFFSET): `id > last id of the
 * previous page`, so an entry added while a client pages shows up at most once and none is skipped.
 */
type PEb = ExpressionBuilder<DB, 'directoryPractitioner'>;
type REb = ExpressionBuilder<DB, 'directoryPractitionerRole'>;
type OEb = ExpressionBuilder<DB, 'structure'>;
type Cond = Expression<SqlBool>;

const never = sql<SqlBool>`false`;
const always = sql<SqlBool>`true`;

function searchForm(value: string, name: string) {
  const s = toSearchText(value);
  if (!s) throw invalid(`Paramètre ${name} : au moins une lettre ou un chiffre attendu.`, name);
  return escapeLike(s);
}

/** Word-prefix match on a `toSearchText` column ("mar" finds "MARTIN" and "Anne-Marie"). */
function wordPrefix(column: string, v: string): Cond {
  const ref = sql.ref(column);
  return sql<SqlBool>`(${ref} like ${`${v}%`} or ${ref} like ${`% ${v}%`})`;
}

/** Structure names (`search_text`, plain trigram index). */
function stringCond(column: string, searchColumn: string, c: Extract<Criterion, { type: 'string' }>, value: string): Cond {
  if (c.modifier === 'exact') return sql<SqlBool>`${sql.ref(column)} = ${value}`;
  const v = searchForm(value, c.name);
  if (c.modifier === 'contains') return sql<SqlBool>`${sql.ref(searchColumn)} like ${`%${v}%`}`;
  return wordPrefix(searchColumn, v);
}

/** Practitioner names: the directory's `*_search` columns, through their `(' ' || col)` trigram indexes. */
function practitionerNameCond(column: string, searchColumn: string, c: Extract<Criterion, { type: 'string' }>, value: string): Cond {
  if (c.modifier === 'exact') return sql<SqlBool>`${sql.ref(column)} = ${value}`;
  return nameMatch(searchColumn, searchForm(value, c.name), c.modifier === 'contains' ? 'contains' : 'word-prefix');
}

function dateConds(column: string, c: Extract<Criterion, { type: 'date' }>): Cond[] {
  const ref = sql.ref(column);
  return c.values.map(({ op, low, high }) => {
    switch (op) {
      case 'gt':
      case 'sa':
        return sql<SqlBool>`${ref} >= ${high}`;
      case 'ge':
        return sql<SqlBool>`${ref} >= ${low}`;
      case 'lt':
      case 'eb':
        return sql<SqlBool>`${ref} < ${low}`;
      case 'le':
        return sql<SqlBool>`${ref} < ${high}`;
      case 'ne':
        return sql<SqlBool>`(${ref} < ${low} or ${ref} >= ${high})`;
      default:
        return sql<SqlBool>`(${ref} >= ${low} and ${ref} < ${high})`;
    }
  });
}

const or = (conds: Cond[]): Cond => (conds.length === 0 ? never : conds.length === 1 ? conds[0]! : sql<SqlBool>`(${sql.join(conds, sql` or `)})`);
const activeValue = (t: Token) => t.code === 'true';

// ---------------------------------------------------------------- Practitioner

function practitionerIdentifier(t: Token): Cond {
  const rppsOf = (idnps: string) => (idnps.startsWith('8') ? idnps.slice(1) : null);
  if (t.system === systems.rpps) return t.code ? sql<SqlBool>`rpps = ${t.code}` : always;
  if (t.system === systems.idnps) {
    if (!t.code) return always;
    const rpps = rppsOf(t.code);
    return rpps ? sql<SqlBool>`rpps = ${rpps}` : never;
  }
  if (t.system) return never;
  const rpps = rppsOf(t.code!);
  return or([sql<SqlBool>`rpps = ${t.code!}`, ...(rpps ? [sql<SqlBool>`rpps = ${rpps}`] : [])]);
}

/**
 * The AND of every criterion's conditions (`true` when there is none) on a directory table:
 * `_id`, `active` and `_lastUpdated` read the same columns (`id`, `active`, `last_updated`) on the
 * practitioner and role tables and are handled here, the table's other parameters by `condsOf`.
 */
function directoryWhere<EB extends { and: (conds: Cond[]) => Cond }>(criteria: Criterion[], condsOf: (eb: EB, c: Criterion) => Cond[]) {
  return (eb: EB): Cond => {
    const all: Cond[] = [];
    for (const c of criteria) {
      switch (c.name) {
        case '_id':
          all.push(sql<SqlBool>`id in (${sql.join((c as Extract<Criterion, { type: 'token' }>).values.map((t) => t.code ?? ''))})`);
          break;
        case 'active':
          all.push(or((c as Extract<Criterion, { type: 'token' }>).values.map((t) => sql<SqlBool>`active = ${activeValue(t)}`)));
          break;
        case '_lastUpdated':
          all.push(...dateConds('last_updated', c as Extract<Criterion, { type: 'date' }>));
          break;
        default:
          all.push(...condsOf(eb, c));
      }
    }
    return all.length === 0 ? always : eb.and(all);
  };
}

export function practitionerWhere(criteria: Criterion[]) {
  return directoryWhere(criteria, (_eb: PEb, c): Cond[] => {
    switch (c.name) {
      case 'identifier':
        return [or((c as Extract<Criterion, { type: 'token' }>).values.map(practitionerIdentifier))];
      case 'qualification-code':
        // Every professional à rôle has profession TRE_R291 99 and category TRE_R09 C (civil).
        return [
          (c as Extract<Criterion, { type: 'token' }>).values.some(
            (t) => (t.code === '99' && (!t.system || t.system === systems.r291)) || (t.code === 'C' && (!t.system || t.system === systems.r09)) || (!t.code && (t.system === systems.r291 || t.system === systems.r09)),
          )
            ? sql<SqlBool>`withdrawn = false`
            : never,
        ];
      case 'name':
      case 'family':
      case 'given': {
        const s = c as Extract<Criterion, { type: 'string' }>;
        const conds = s.values.map((v) => {
          if (c.name === 'family') return practitionerNameCond('family', 'family_search', s, v);
          if (c.name === 'given') return practitionerNameCond('given', 'given_search', s, v);
          if (s.modifier === 'exact') return or([sql<SqlBool>`family = ${v}`, sql<SqlBool>`given = ${v}`]);
          return practitionerNameCond('family', 'name_search', s, v);
        });
        return [or(conds)];
      }
      default:
        return [];
    }
  });
}

// ---------------------------------------------------------------- PractitionerRole

function roleCode(t: Token): Cond {
  const columns: Record<string, string> = { [systems.r85]: 'profession_code', [systems.r22]: 'role_code', [systems.r23]: 'mode_code' };
  if (t.system) {
    const column = columns[t.system];
    if (!column) return never;
    return t.code ? sql<SqlBool>`${sql.ref(column)} = ${t.code}` : sql<SqlBool>`${sql.ref(column)} is not null`;
  }
  return or(Object.values(columns).map((col) => sql<SqlBool>`${sql.ref(col)} = ${t.code!}`));
}

export function roleWhere(criteria: Criterion[]) {
  return directoryWhere(criteria, (eb: REb, c): Cond[] => {
    switch (c.name) {
      case 'identifier':
        return [
          or(
            (c as Extract<Criterion, { type: 'token' }>).values.map((t) =>
              t.system && t.system !== systems.rpps ? never : t.code ? sql<SqlBool>`id = ${t.code}` : always,
            ),
          ),
        ];
      case 'practitioner':
        return [eb('practitionerId', 'in', (c as Extract<Criterion, { type: 'reference' }>).values.map((r) => r.id))];
      case 'organization': {
        const finess = (c as Extract<Criterion, { type: 'reference' }>).values.map((r) => finessOfOrganizationId(r.id)).filter((f): f is string => f !== null);
        return [finess.length === 0 ? never : eb('egFiness', 'in', finess)];
      }
      case 'role':
        return [or((c as Extract<Criterion, { type: 'token' }>).values.map(roleCode))];
      default:
        return [];
    }
  });
}

// ---------------------------------------------------------------- Organization

function organizationIdentifier(t: Token): Cond {
  const code = t.code;
  if (t.system === systems.idnst) {
    if (!code) return always;
    return code.startsWith('1') ? sql<SqlBool>`finess = ${code.slice(1)}` : never;
  }
  if (t.system === systems.finess) return code ? sql<SqlBool>`finess = ${code}` : always;
  if (t.system === systems.siret) return code ? or([sql<SqlBool>`siret = ${code}`, sql<SqlBool>`siren = ${code}`]) : sql<SqlBool>`siret is not null`;
  if (t.system) return never;
  return or([sql<SqlBool>`finess = ${code!}`, sql<SqlBool>`siret = ${code!}`, ...(code!.startsWith('1') ? [sql<SqlBool>`finess = ${code!.slice(1)}`] : [])]);
}

function organizationType(t: Token): Cond {
  const kinds: Record<string, string> = { 'GEOGRAPHICAL-ENTITY': 'EG', 'LEGAL-ENTITY': 'EJ' };
  if (t.system === systems.organizationType) return t.code && kinds[t.code] ? sql<SqlBool>`kind = ${kinds[t.code]}` : never;
  if (t.system === systems.r66) return t.code ? sql<SqlBool>`category_code = ${t.code}` : sql<SqlBool>`category_code is not null`;
  if (t.system) return never;
  return kinds[t.code!] ? sql<SqlBool>`kind = ${kinds[t.code!]}` : sql<SqlBool>`category_code = ${t.code!}`;
}

export function organizationWhere(criteria: Criterion[], today: string) {
  return (eb: OEb): Cond => {
    const all: Cond[] = [];
    for (const c of criteria) {
      switch (c.name) {
        case '_id': {
          const ids = (c as Extract<Criterion, { type: 'token' }>).values.map((t) => finessOfOrganizationId(t.code ?? '')).filter((f): f is string => f !== null);
          all.push(ids.length === 0 ? never : eb('finess', 'in', ids));
          break;
        }
        case 'active':
          all.push(
            or(
              (c as Extract<Criterion, { type: 'token' }>).values.map((t) =>
                activeValue(t) ? sql<SqlBool>`(closed_on is null or closed_on > ${today})` : sql<SqlBool>`closed_on <= ${today}`,
              ),
            ),
          );
          break;
        case 'identifier':
          all.push(or((c as Extract<Criterion, { type: 'token' }>).values.map(organizationIdentifier)));
          break;
        case 'type':
          all.push(or((c as Extract<Criterion, { type: 'token' }>).values.map(organizationType)));
          break;
        case 'partof': {
          const finess = (c as Extract<Criterion, { type: 'reference' }>).values.map((r) => finessOfOrganizationId(r.id)).filter((f): f is string => f !== null);
          all.push(finess.length === 0 ? never : eb.and([eb('ejFiness', 'in', finess), eb('kind', '=', 'EG')]));
          break;
        }
        case 'name': {
          const s = c as Extract<Criterion, { type: 'string' }>;
          all.push(or(s.values.map((v) => stringCond('name', 'search_text', s, v))));
          break;
        }
        case 'address':
        case 'address-city':
        case 'address-postalcode': {
          const s = c as Extract<Criterion, { type: 'string' }>;
          const column = c.name === 'address-city' ? 'city' : c.name === 'address-postalcode' ? 'postal_code' : null;
          all.push(
            or(
              s.values.map((v) => {
                const target = column ? sql`coalesce(${sql.ref(column)}, '')` : sql`concat_ws(' ', address_line, postal_code, city)`;
                if (s.modifier === 'exact') return sql<SqlBool>`${target} = ${v}`;
                const pattern = s.modifier === 'contains' || !column ? `%${escapeLike(v.toLowerCase())}%` : `${escapeLike(v.toLowerCase())}%`;
                return sql<SqlBool>`lower(${target}) like ${pattern}`;
              }),
            ),
          );
          break;
        }
        case '_lastUpdated':
          all.push(...dateConds('updated_at', c as Extract<Criterion, { type: 'date' }>));
          break;
      }
    }
    return all.length === 0 ? always : eb.and(all);
  };
}

// ---------------------------------------------------------------- execution

/**
 * The search on one name value alone (`name`, `family` or `given`, one value), which the word
 * index serves: one word prefix, or a phrase of several words (`Le Gall`: the last one a prefix);
 * the words and the part of the name searched. The page and the count read the entries of the
 * anchor word (anchorWord: the longest), the phrase checked on each.
 */
function nameWordsOf(criteria: Criterion[]): { words: string[]; anchor: string; part: 'f' | 'g' | undefined } | undefined {
  const c = criteria.length === 1 ? criteria[0]! : undefined;
  if (!c || c.type !== 'string' || c.modifier !== 'prefix' || c.values.length !== 1) return undefined;
  const part = c.name === 'family' ? 'f' : c.name === 'given' ? 'g' : c.name === 'name' ? undefined : null;
  if (part === null) return undefined;
  const words = toSearchText(c.values[0]!).split(' ');
  if (words.length === 1 ? singleSearchWord(words) === undefined : !words.every((w) => /^[a-z0-9]+$/.test(w))) return undefined;
  return { words, anchor: words[anchorWord(words)]!, part };
}

export interface Page<R> {
  rows: R[];
  /** Last id of this page when there is a next one. */
  next: string | null;
}

/**
 * The columns of a Practitioner: its primary key includes them all, so a read by id is an
 * index-only scan (migration 20261205T1000_directory_practitioner_covering_key).
 */
export const practitionerColumns = ['id', 'rpps', 'family', 'given', 'active', 'withdrawn', 'versionId', 'lastUpdated'] as const;

export function createFhirQueries(db: Database) {
  const organizationColumns = [
    'finess',
    'kind',
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
    'updatedAt',
  ] as const;

  /**
   * A read by keys as one statement of fixed text, `key = any($1)` whatever the number of keys:
   * built by Kysely once, and run as a named prepared statement on PostgreSQL
   * (src/server/db/prepared.ts: parsed and planned once per connection, then only bound). The reads
   * by id go through it, coalesced (batchedLookup); a primary key lookup has one plan whatever the keys.
   */
  const byKeys = <R>(query: (keys: RawBuilder<string[]>) => Compilable<R>) => {
    let text: string | undefined;
    return async (keys: string[]): Promise<R[]> => {
      if (keys.length === 0) return [];
      if (text === undefined) {
        const sample = query(sql<string[]>`${[]}`).compile();
        if (sample.parameters.length !== 1) throw new Error('fhir: a read by keys has exactly one parameter');
        text = preparedStatement(sample.sql);
      }
      return (await db.executeQuery(CompiledQuery.raw(text, [keys]) as CompiledQuery<R>)).rows;
    };
  };
  const practitionersById = byKeys((ids) =>
    db.selectFrom('directoryPractitioner').select(practitionerColumns).where(sql<SqlBool>`id = any(${ids}::text[])`).orderBy('id'),
  );
  const rolesById = byKeys((ids) => db.selectFrom('directoryPractitionerRole').selectAll().where(sql<SqlBool>`id = any(${ids}::text[])`));
  const organizationsByFiness = byKeys((finess) =>
    db.selectFrom('structure').select(organizationColumns).where(sql<SqlBool>`finess = any(${finess}::bpchar[])`).orderBy('finess'),
  );

  // `count` 0 (`_count=0`, a count only) never reaches here (service.ts); no next page without a last row.
  const page = <R>(rows: R[], count: number, key: (r: R) => string): Page<R> => ({
    rows: rows.slice(0, count),
    next: count > 0 && rows.length > count ? key(rows[count - 1]!) : null,
  });

  return {
    async practitioners(criteria: Criterion[], after: string | null, count: number) {
      // One name word prefix alone: the page from the word index, a stream per word of the prefix
      // (the words found in the same statement), unless the prefix starts too many words.
      // A phrase is paged the usual way: its anchor's entries in id order may hold few matches
      // ("martin du"), and a page has no bound on the entries it reads (the count has one).
      const byWord = nameWordsOf(criteria);
      if (byWord && byWord.words.length === 1) {
        const rows = await db
          .selectFrom(idOrderCandidates(byWord.anchor, byWord.part, after, count + 1).as('m'))
          .innerJoin('directoryPractitioner as p', 'p.id', 'm.id')
          .select(practitionerColumns.map((c) => `p.${c}` as const))
          .select(prefixWordCount(byWord.anchor).as('prefixWords'))
          .orderBy('p.id')
          .execute();
        const words = rows.length > 0 ? rows[0]!.prefixWords : (await wordsWithPrefix(db, byWord.anchor)).length;
        if (words <= maxPrefixWords) return page(rows.map(({ prefixWords: _, ...r }) => r), count, (r) => r.id);
      }
      let q = db.selectFrom('directoryPractitioner').select(practitionerColumns).where(practitionerWhere(criteria));
      if (after !== null) q = q.where('id', '>', after);
      return page(await q.orderBy('id').limit(count + 1).execute(), count, (r) => r.id);
    },
    practitionersById,

    async roles(criteria: Criterion[], after: string | null, count: number) {
      let q = db.selectFrom('directoryPractitionerRole').selectAll().where(roleWhere(criteria));
      if (after !== null) q = q.where('id', '>', after);
      return page(await q.orderBy('id').limit(count + 1).execute(), count, (r) => r.id);
    },
    rolesOf(column: 'practitionerId' | 'egFiness', values: string[], limit: number) {
      if (values.length === 0) return Promise.resolve([]);
      return db.selectFrom('directoryPractitionerRole').selectAll().where(column, 'in', values).orderBy('id').limit(limit).execute();
    },
    rolesById,

    async organizations(criteria: Criterion[], today: string, after: string | null, count: number) {
      let q = db.selectFrom('structure').select(organizationColumns).where(organizationWhere(criteria, today));
      if (after !== null) {
        const finess = finessOfOrganizationId(after);
        if (!finess) throw invalid('Page demandée non valide.', '_page');
        q = q.where('finess', '>', finess);
      }
      return page(await q.orderBy('finess').limit(count + 1).execute(), count, (r) => `org-${r.finess}`);
    },
    /**
     * The count up to `cap` of a Practitioner search on one name word prefix alone (`name`,
     * `family` or `given`, one value of one word), from the word index; `undefined` for any other
     * search (counted on its matches).
     */
    async countNameWordUpTo(criteria: Criterion[], cap: number) {
      const byWord = nameWordsOf(criteria);
      if (!byWord) return undefined;
      if (byWord.words.length > 1) return countPhraseUpTo(db, byWord.words, byWord.part, cap);
      return countWordPrefixUpTo(db, byWord.words[0]!, { part: byWord.part, activeOnly: false }, cap);
    },
    /** The matches of a search (FROM/WHERE only), for the counts of `_total` (src/server/db/count.ts). */
    matches(type: ResourceType, criteria: Criterion[], today: string) {
      if (type === 'Practitioner') return db.selectFrom('directoryPractitioner').where(practitionerWhere(criteria));
      if (type === 'PractitionerRole') return db.selectFrom('directoryPractitionerRole').where(roleWhere(criteria));
      return db.selectFrom('structure').where(organizationWhere(criteria, today));
    },
    organizationsByFiness,
  };
}
export type FhirQueries = ReturnType<typeof createFhirQueries>;
