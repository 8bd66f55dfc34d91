import type { Kysely, Selectable } from 'kysely';
import { jsonArrayFrom, jsonObjectFrom } from 'kysely/helpers/postgres';
import type { DB, StructureTable } from '../../db/schema.ts';
import { rememberCommune } from '../referential/code-cache.ts';
import type { NomenclatureKind } from '../referential/schemas.ts';
import { communeExistedIn, type communeExistedOn } from './queries.ts';

/** What the EG rules read of a structure. */
export type RuleStructure = Pick<Selectable<StructureTable>, 'finess' | 'kind' | 'ejFiness' | 'openedOn' | 'closedOn'>;

/**
 * Answers loaded beforehand (a bulk import loads the nomenclatures and structures once, and the
 * contacts of a batch in one query; a single registration reads its structure, commune and
 * contacts in one query, `prefetch`). Each answers `undefined` when it does not know: the rule then
 * asks the database as usual, so the rules and messages stay those of the form. A lookup answers
 * only what the database would (`null`: checked, nothing there). Nomenclature codes not answered
 * here come from the process's copy of the referential (referential/code-cache.ts).
 */
export interface RegisterLookups {
  /** A nomenclature code that may be chosen that day; `undefined` sends any other case to the referential. */
  code?(kind: NomenclatureKind, code: string): { code: string; selectable: boolean; validFrom: string | null; validTo: string | null } | undefined;
  structure?(finess: string): RuleStructure | null | undefined;
  commune?(inseeCode: string, on: string | undefined): Awaited<ReturnType<typeof communeExistedOn>> | undefined;
  /** Whether a person already uses this normalized e-mail or mobile. */
  contactInUse?(field: 'email' | 'mobile', value: string): boolean | undefined;
}

/** The values the rules would read for a registration, as they normalize them (undefined: no read). */
export interface ReadsOf {
  finess?: string;
  commune?: string;
  email?: string;
  mobile?: string;
}

export const communeFormat = /^(\d{5}|2[AB]\d{3})$/;

/**
 * The structure, commune rows and contact use the rules read, in one statement (issue 18: four
 * round trips before a registration's transaction become one). Answers only those values.
 */
export async function prefetch(db: Kysely<DB>, reads: ReadsOf): Promise<RegisterLookups> {
  const { finess, commune, email, mobile } = reads;
  if (!finess && !commune && !email && !mobile) return {};
  const row = await db
    .selectNoFrom((eb) => [
      // An empty value finds nothing (one index probe): the statement keeps one shape.
      jsonObjectFrom(eb.selectFrom('structure').select(['finess', 'kind', 'ejFiness', 'openedOn', 'closedOn']).where('finess', '=', finess ?? '')).as('structure'),
      jsonArrayFrom(eb.selectFrom('commune').select(['validFrom', 'validTo']).where('inseeCode', '=', commune ?? '')).as('communeRows'),
      eb.exists(eb.selectFrom('person').select('id').where('email', '=', email ?? '')).as('emailInUse'),
      eb.exists(eb.selectFrom('person').select('id').where('mobile', '=', mobile ?? '')).as('mobileInUse'),
    ])
    .executeTakeFirstOrThrow();
  const structure = row.structure as RuleStructure | null;
  if (commune !== undefined) rememberCommune(db, commune, row.communeRows);
  return {
    structure: (f) => (finess !== undefined && f === finess ? structure : undefined),
    commune: (code, on) => (commune !== undefined && code === commune ? communeExistedIn(row.communeRows, on) : undefined),
    contactInUse: (field, value) =>
      field === 'email' ? (email !== undefined && value === email ? Boolean(row.emailInUse) : undefined) : mobile !== undefined && value === mobile ? Boolean(row.mobileInUse) : undefined,
  };
}

/** `answer` unless it is `undefined` (not known): `null` ("checked, nothing there") is an answer. */
const orElse = <T>(answer: T | undefined, next: () => T | undefined): T | undefined => (answer === undefined ? next() : answer);

/**
 * `first`'s answer, else `then`'s. A `null` structure stops here: passed on, an unknown FINESS read
 * again and again (checkRegistration re-reading what its lookups did not answer, until the stack overflowed).
 */
export function mergeLookups(first: RegisterLookups, then: RegisterLookups): RegisterLookups {
  return {
    code: (kind, code) => orElse(first.code?.(kind, code), () => then.code?.(kind, code)),
    structure: (f) => orElse(first.structure?.(f), () => then.structure?.(f)),
    commune: (code, on) => orElse(first.commune?.(code, on), () => then.commune?.(code, on)),
    contactInUse: (field, value) => orElse(first.contactInUse?.(field, value), () => then.contactInUse?.(field, value)),
  };
}
