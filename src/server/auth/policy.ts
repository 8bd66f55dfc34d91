import { type Expression, type ExpressionBuilder, sql, type SqlBool } from 'kysely';
import type { Database } from '../db/database.ts';
import { type Actor, derivedValuesOf, type PersonActor } from './actor.ts';

/**
 * The one authorization policy of RPPS+ (issue 5). Routes declare who may call them at all
 * (`config.policy`: public / authenticated / machine:<scope>, src/server/http/policy.ts); every
 * decision about *what* a signed-in person may do on *which* structure is taken here, by `can()`,
 * and list queries are narrowed in SQL by `scopeOf()` and the helpers below.
 *
 * Roles come from `staff_role` (read on every request by sign-in), which the onboarding module
 * feeds from contracts, mandataires and habilitations: revoking one revokes its role rows in
 * the same transaction, so the next request is refused.
 *
 * Rules (DOMAIN.md "Onboarding of a structure", guide ANS):
 * - ANS operator: reads everything, decides and terminates contracts, revokes habilitations.
 * - Représentant légal (CDE card): implicitly mandataire and gestionnaire of his whole EJ;
 *   chooses the strategy and designates mandataires.
 * - Mandataire: habilitates gestionnaires of his EJ (including himself).
 * - Gestionnaire: registers professionals in his scope (whole EJ, or listed EG).
 * - Any signed-in person: requests a contract, sees his own requests and habilitations.
 * See docs/onboarding-and-policy.md for the table.
 */
export type Action =
  | 'contract.request'
  | 'contract.read'
  | 'contract.edit'
  | 'contract.decide'
  | 'contract.terminate'
  | 'contract.list-all'
  | 'ej.read'
  | 'strategy.change'
  | 'mandataire.read'
  | 'mandataire.manage'
  | 'habilitation.read'
  | 'habilitation.manage'
  | 'habilitation.revoke'
  | 'eg.register'
  | 'person.read'
  | 'api-key.manage'
  | 'dashboard.national'
  | 'support.manage'
  | 'rl.succession';

export type Resource =
  | { type: 'platform' }
  | { type: 'ej'; ejFiness: string }
  | { type: 'eg'; ejFiness: string; egFiness: string }
  | { type: 'contract'; ejFiness: string; requestedBy: string; status: string }
  | { type: 'habilitation'; ejFiness: string; idnps: string }
  | { type: 'person'; idnps: string };

/** What a person's live roles allow, as lists usable in WHERE clauses. */
export interface Scope {
  /** ANS operator: national scope. */
  all: boolean;
  /** Contracting entities where he is représentant légal: an EJ, or an EG with its own contract. */
  rlEj: string[];
  /** Contracting entities (EJ, or EG with its own contract) whose habilitations he manages (RL or mandataire). */
  manageEj: string[];
  /** EJ where he registers in every EG (RL, EJ-wide gestionnaire). */
  registerEj: string[];
  /** EG where he registers (EG-scoped gestionnaire), with their EJ. */
  registerEg: Array<{ ejFiness: string; egFiness: string }>;
  accountId: string | null;
  idnps: string | null;
}

const emptyScope: Scope = { all: false, rlEj: [], manageEj: [], registerEj: [], registerEg: [], accountId: null, idnps: null };

const uniq = (list: string[]) => [...new Set(list)];

/**
 * A machine registers only through a `registrations:bulk` key: a structure's key in the EG of its
 * EJ; a national key (ej_finess null, created explicitly by an ANS operator) everywhere, which
 * `registerEgScope` answers as 'all'. Machines have no other role: `all` stays false for them.
 */
const machineRegisters = (actor: Actor) => actor.kind === 'machine' && actor.scopes.includes('registrations:bulk');

export function scopeOf(actor: Actor): Scope {
  if (actor.kind === 'machine') return machineRegisters(actor) && actor.ejFiness ? { ...emptyScope, registerEj: [actor.ejFiness] } : emptyScope;
  if (actor.kind !== 'person') return emptyScope;
  const roles = actor.roles;
  const ejsOf = (...names: string[]) => uniq(roles.filter((r) => names.includes(r.role) && r.ejFiness && !r.egFiness).map((r) => r.ejFiness!));
  // A contract signed at FINESS géographique level (issue 16) gives its RL and mandataires role
  // rows on (EJ, EG): the contracting entity is then the EG, whose number joins the "entity"
  // lists (FINESS numbers are unique across EJ and EG), never its EJ.
  const egEntitiesOf = (...names: string[]) => uniq(roles.filter((r) => names.includes(r.role) && r.ejFiness && r.egFiness).map((r) => r.egFiness!));
  return {
    all: roles.some((r) => r.role === 'operator'),
    rlEj: uniq([...ejsOf('legal_representative'), ...egEntitiesOf('legal_representative')]),
    manageEj: uniq([...ejsOf('legal_representative', 'mandataire'), ...egEntitiesOf('legal_representative', 'mandataire')]),
    // The CDE card carries the gestionnaire rights (DOMAIN.md, onboarding step 2).
    registerEj: ejsOf('legal_representative', 'gestionnaire'),
    registerEg: roles
      .filter((r) => (r.role === 'gestionnaire' || r.role === 'legal_representative') && r.ejFiness && r.egFiness)
      .map((r) => ({ ejFiness: r.ejFiness!, egFiness: r.egFiness! })),
    accountId: actor.accountId,
    idnps: actor.idnps,
  };
}

/** Every EJ the person has any role on (his home page, "Mon espace"). */
export const ejOfScope = (s: Scope) => uniq([...s.manageEj, ...s.registerEj, ...s.registerEg.filter((e) => !s.manageEj.includes(e.egFiness)).map((e) => e.ejFiness)]);

export function can(actor: Actor, action: Action, resource: Resource = { type: 'platform' }): boolean {
  if (actor.kind === 'machine') {
    return action === 'eg.register' && resource.type === 'eg' && machineRegisters(actor) && (actor.ejFiness === null || actor.ejFiness === resource.ejFiness);
  }
  if (actor.kind !== 'person') return false;
  const s = scopeOf(actor);
  const self = (idnps: string) => s.idnps !== null && s.idnps === idnps;
  const ej = 'ejFiness' in resource ? resource.ejFiness : undefined;
  const manages = ej !== undefined && s.manageEj.includes(ej);

  switch (action) {
    case 'contract.request':
      return true;
    case 'contract.read':
      return resource.type === 'contract' && (s.all || manages || resource.requestedBy === s.accountId);
    case 'contract.edit':
      // Only the requester, and only while the request is a draft.
      return resource.type === 'contract' && resource.status === 'draft' && resource.requestedBy === s.accountId;
    case 'contract.decide':
    case 'contract.terminate':
    case 'contract.list-all':
    case 'api-key.manage':
    case 'dashboard.national':
    case 'support.manage':
      return s.all;
    case 'ej.read':
      return ej !== undefined && (s.all || manages || s.registerEj.includes(ej));
    case 'strategy.change':
      return ej !== undefined && s.rlEj.includes(ej);
    case 'mandataire.read':
      return ej !== undefined && (s.all || manages);
    case 'mandataire.manage':
      return ej !== undefined && s.rlEj.includes(ej);
    case 'rl.succession':
      // The current RL hands over; a mandataire starts it when the RL is gone; the operator in any case.
      return ej !== undefined && (s.all || manages);
    case 'habilitation.read':
      return resource.type === 'habilitation' ? s.all || manages || self(resource.idnps) : ej !== undefined && (s.all || manages);
    case 'habilitation.manage':
      return manages;
    case 'habilitation.revoke':
      return s.all || manages;
    case 'eg.register':
      return (
        resource.type === 'eg' &&
        (s.all || s.registerEj.includes(resource.ejFiness) || s.registerEg.some((e) => e.egFiness === resource.egFiness && e.ejFiness === resource.ejFiness))
      );
    case 'person.read':
      return resource.type === 'person' && (s.all || self(resource.idnps));
  }
}

/** The PersonActor or nothing: services that need a person call this first. */
export const personOf = (actor: Actor): PersonActor | undefined => (actor.kind === 'person' ? actor : undefined);

/**
 * SQL: `column` is one of `values` (false when the list is empty: no `IN ()`).
 */
export function inList<DB, TB extends keyof DB>(eb: ExpressionBuilder<DB, TB>, column: string, values: readonly string[]): Expression<SqlBool> {
  if (values.length === 0) return sql<SqlBool>`false`;
  return eb(eb.ref(column as never), 'in', values as never) as unknown as Expression<SqlBool>;
}

/**
 * The EG a person (or a `registrations:bulk` key) may register in, for the register services'
 * `allowedEg` argument: 'all' for an operator or a national key, else his EG plus every EG of the
 * EJ he manages as a whole, or of the key's EJ (resolved in SQL).
 */
export async function registerEgScope(db: Database, actor: Actor): Promise<readonly string[] | 'all'> {
  if (actor.kind === 'machine' && actor.ejFiness === null && machineRegisters(actor)) return 'all';
  const s = scopeOf(actor);
  if (s.all) return 'all';
  const direct = s.registerEg.map((e) => e.egFiness);
  if (s.registerEj.length === 0) return uniq(direct);
  // Read once per cached session (actor.ts, `derivedValuesOf`): a change of his roles or of the
  // EG of a structure drops it (triggers of migrations 20261205T0240 and reg_20261205T0600).
  const derived = derivedValuesOf(actor);
  const known = derived?.get(registerEgScopeKey) as readonly string[] | undefined;
  if (known) return known;
  const rows = await db.selectFrom('structure').select('finess').where('kind', '=', 'EG').where('ejFiness', 'in', s.registerEj).execute();
  const scope = uniq([...direct, ...rows.map((r) => r.finess)]);
  derived?.set(registerEgScopeKey, scope);
  return scope;
}
const registerEgScopeKey = 'registerEgScope';
