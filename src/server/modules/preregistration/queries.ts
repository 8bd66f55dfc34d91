import { type Kysely, sql, type SqlBool, type Expression, type ExpressionBuilder } from 'kysely';
import type { Scope } from '../../auth/policy.ts';
import type { DB } from '../../db/schema.ts';
import { escapeLike, toSearchText } from '../../search-text.ts';
import { candidateBirthDates, matchIdentity } from '../register/duplicates.ts';
import { checkName, type IdentityTraits } from '../register/names.ts';
import type { EtatCivilInput } from '../register/types.ts';

type Db = Kysely<DB>;

/**
 * The gestionnaire's scope as SQL (STYLE.md §4): the operator sees every request, an EJ-wide
 * gestionnaire (or the RL) those of his EJ, an EG gestionnaire those of his EG only.
 */
export function inQueueScope(eb: ExpressionBuilder<DB, 'preregistration'>, scope: Scope): Expression<SqlBool> {
  if (scope.all) return sql<SqlBool>`true`;
  const ors: Expression<SqlBool>[] = [];
  if (scope.registerEj.length > 0) ors.push(eb('preregistration.ejFiness', 'in', scope.registerEj));
  const egs = scope.registerEg.map((e) => e.egFiness);
  if (egs.length > 0) ors.push(eb('preregistration.egFiness', 'in', egs));
  return ors.length === 0 ? sql<SqlBool>`false` : eb.or(ors);
}

export const hasQueueScope = (scope: Scope) => scope.all || scope.registerEj.length > 0 || scope.registerEg.length > 0;

export function pendingInScope(db: Db, scope: Scope) {
  return db
    .selectFrom('preregistration')
    .leftJoin('structure', 'structure.finess', 'preregistration.egFiness')
    .where('preregistration.status', '=', 'pending')
    .where((eb) => inQueueScope(eb, scope));
}

export async function countPending(db: Db, scope: Scope): Promise<number> {
  const row = await pendingInScope(db, scope).select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

export function findInScope(db: Db, scope: Scope, id: string) {
  return db
    .selectFrom('preregistration')
    .leftJoin('structure', 'structure.finess', 'preregistration.egFiness')
    .selectAll('preregistration')
    .select('structure.name as egName')
    .where('preregistration.id', '=', id)
    .where('preregistration.status', '<>', 'draft')
    .where((eb) => inQueueScope(eb, scope))
    .executeTakeFirst();
}

/** The identity traits of a request's stored état civil, normalized by the register's name rule. */
export function requestIdentity(e: EtatCivilInput): IdentityTraits | null {
  const name = (raw: string | null | undefined) => {
    const c = checkName(raw, '');
    return c.ok ? c.value : null;
  };
  const birthName = name(e.birthName);
  const firstNames = (e.firstNames ?? []).map(name);
  if (!birthName || !e.birthDate || !e.sexe || firstNames.length === 0 || firstNames.some((f) => f === null)) return null;
  return {
    sexe: e.sexe.trim(),
    birthName,
    usageName: name(e.usageName),
    firstNames: firstNames as string[],
    birthDate: e.birthDate,
    birthCountryCode: e.birthCountryCode ?? null,
    birthCommuneCode: e.birthCommuneCode ?? null,
  };
}

/**
 * A pending request of this EJ for the same person, or a very close one (the register's duplicate
 * rule, `matchIdentity`), other than the request `exceptKey` names: with its submission day.
 */
export async function pendingRequestFor(db: Db, ejFiness: string, identity: IdentityTraits, exceptKey?: string) {
  const candidates = await db
    .selectFrom('preregistration')
    .select(['id', 'etatCivil', 'idempotencyKey', sql<string>`to_char(submitted_at at time zone 'Europe/Paris', 'DD/MM/YYYY')`.as('submittedOn')])
    .where('status', '=', 'pending')
    .where('ejFiness', '=', ejFiness)
    .where(sql<string>`etat_civil->>'birthDate'`, 'in', candidateBirthDates(identity.birthDate))
    .orderBy('submittedAt')
    .execute();
  return candidates.find((r) => {
    if (exceptKey !== undefined && r.idempotencyKey === exceptKey) return false;
    const other = requestIdentity(r.etatCivil as EtatCivilInput);
    return other !== null && matchIdentity(identity, other) !== null;
  });
}

/** Open EG whose EJ has an active contract with RPPS+: the only ones a professional may choose. */
export function searchOnboardedEg(db: Db, q: string, today: string, limit: number) {
  let query = db
    .selectFrom('structure')
    .select(['structure.finess', 'structure.name', 'structure.ejFiness', 'structure.city', 'structure.postalCode'])
    .where('structure.kind', '=', 'EG')
    .where((eb) => eb.or([eb('structure.closedOn', 'is', null), eb('structure.closedOn', '>', today)]))
    .where((eb) =>
      // Covered by its EJ's contract, or by its own (FINESS géographique level).
      eb.exists(
        eb
          .selectFrom('contract')
          .select('contract.id')
          .whereRef('contract.ejFiness', '=', 'structure.ejFiness')
          .where('contract.status', '=', 'active')
          .where((c) => c.or([c('contract.egFiness', 'is', null), c('contract.egFiness', '=', c.ref('structure.finess'))])),
      ),
    );
  const compact = q.replace(/\s+/g, '');
  if (/^\d[\dAB]\d{0,7}$/i.test(compact)) query = query.where('structure.finess', 'like', `${escapeLike(compact.toUpperCase())}%`);
  else for (const w of toSearchText(q).split(' ').filter(Boolean)) query = query.where('structure.searchText', 'like', `%${escapeLike(w)}%`);
  return query.orderBy('structure.name').orderBy('structure.finess').limit(limit).execute();
}

export async function onboardedEg(db: Db, finess: string, today: string) {
  const rows = await searchOnboardedEg(db, finess, today, 2);
  return rows.find((r) => r.finess === finess);
}

/** E-mail addresses of the active gestionnaires habilitated on this EG or on its whole EJ. */
export async function gestionnaireEmails(db: Db, ejFiness: string, egFiness: string): Promise<string[]> {
  const rows = await db
    .selectFrom('habilitation')
    .innerJoin('staffRole', (j) => j.on(sql`staff_role.source`, '=', sql`'onboarding:habilitation:' || habilitation.id`))
    .select('habilitation.email')
    .distinct()
    .where('habilitation.status', '=', 'active')
    .where('habilitation.ejFiness', '=', ejFiness)
    .where('staffRole.role', '=', 'gestionnaire')
    .where('staffRole.revokedAt', 'is', null)
    .where((eb) => eb.or([eb('staffRole.egFiness', 'is', null), eb('staffRole.egFiness', '=', egFiness)]))
    .orderBy('habilitation.email')
    .execute();
  return rows.map((r) => r.email);
}

export async function legalRepresentativeEmails(db: Db, ejFiness: string): Promise<string[]> {
  const rows = await db.selectFrom('contract').select('rlEmail').where('ejFiness', '=', ejFiness).where('status', '=', 'active').execute();
  return [...new Set(rows.map((r) => r.rlEmail))];
}

export async function communeName(db: Db, inseeCode: string, on: string) {
  const rows = await db.selectFrom('commune').select(['name', 'validFrom', 'validTo', 'departmentCode']).where('inseeCode', '=', inseeCode).execute();
  return rows.find((r) => (r.validFrom === null || r.validFrom <= on) && (r.validTo === null || r.validTo > on)) ?? rows[0];
}

export async function codeLabel(db: Db, kind: string, code: string) {
  return (await db.selectFrom('nomenclatureCode').select('label').where('kind', '=', kind).where('code', '=', code).executeTakeFirst())?.label ?? null;
}
