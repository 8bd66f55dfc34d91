import type { Config } from '../../config.ts';
import { todayOf } from '../../calendar.ts';
import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import { DomainError, NotFoundError } from '../../errors.ts';
import type { Actor } from '../../auth/actor.ts';
import { registerEgScope, scopeOf } from '../../auth/policy.ts';
import { createSimulatedEcps } from '../ecps/service.ts';
import { listSituationsForEcps } from '../ecps/queries.ts';
import { findPersonForEcps } from '../ecps/queries.ts';
import { listCodes } from '../referential/queries.ts';
import { dmpOpening } from './dmp-opening.ts';
import { idnpsOf, parseProfessionalId } from './professional-id.ts';
import { createAccessMatrixService } from './service.ts';

type SituationRow = Awaited<ReturnType<typeof listSituationsForEcps>>[number];

const activeOn = (s: SituationRow, on: string) => s.status === 'active' && s.startDate <= on && (s.endDate === null || s.endDate > on);

class ProfessionalNotFoundError extends NotFoundError {
  constructor(detail = 'Aucun professionnel enregistré ne porte ce numéro RPPS.') {
    super(detail, 'professional-not-found');
  }
}

/**
 * What registration gives a professional: MSSanté eligibility and, on his page "Mes accès", his
 * e-CPS, his roles and what each lets him read in the DMP.
 *
 * MSSanté (seed 000, "Prérequis pour avoir accès à une BAL nominative"): a professional may open a
 * nominative MSSanté mailbox while he has an active situation in a profession whose category is
 * entitled to exchange health data (professions.json `healthDataExchange`); the structures are
 * those of these situations.
 * Who may ask: the professional himself, the staff (RL, gestionnaires) of a structure where he
 * has or had a situation, ANS operators, and machine clients with the `mssante:read` scope
 * (MSSanté operators). Anyone else gets the same 404 as for an unknown number, so the answer
 * reveals nothing about who is registered where.
 */
export function createProfessionalAccessService(deps: { db: Database; clock: Clock; config: Pick<Config, 'publicUrl' | 'dmp'> }) {
  const { db, clock } = deps;
  const ecps = createSimulatedEcps(deps);
  const matrices = createAccessMatrixService(deps);
  const today = () => todayOf(clock);

  const entitledIn = (codes: Awaited<ReturnType<typeof listCodes>>) =>
    new Set(codes.filter((c) => (c.extra as { healthDataExchange?: boolean }).healthDataExchange === true).map((c) => c.code));
  /** Professions whose category is entitled to exchange health data (professions.json `healthDataExchange`). */
  const entitledProfessions = async () => entitledIn(await listCodes(db, 'profession'));

  function eligibility(rpps: string, situations: SituationRow[], entitled: Set<string>, identityStatus: string) {
    const on = today();
    // A rejected identity opens no mailbox until it is corrected (issue 15).
    if (identityStatus === 'rejected') return { rpps, on, eligible: false, reason: 'identity-rejected' as const, structures: [] };
    const active = situations.filter((s) => activeOn(s, on));
    const entitling = active.filter((s) => entitled.has(s.professionCode));
    const reason = entitling.length > 0 ? 'active-situation' : active.length > 0 ? 'profession-not-entitled' : 'no-active-situation';
    return {
      rpps,
      on,
      eligible: entitling.length > 0,
      reason: reason as 'active-situation' | 'profession-not-entitled' | 'no-active-situation',
      structures: entitling.map((s) => ({ egFiness: s.egFiness, egName: s.egName, roleCode: s.roleCode, since: s.startDate })),
    };
  }

  async function mayRead(actor: Actor, rpps: string, situations: SituationRow[]) {
    if (actor.kind === 'machine') return actor.scopes.includes('mssante:read');
    if (actor.kind !== 'person') return false;
    if (actor.idnps === idnpsOf(rpps) || scopeOf(actor).all) return true;
    const egs = await registerEgScope(db, actor);
    return egs === 'all' || situations.some((s) => egs.includes(s.egFiness));
  }

  return {
    async mssante(actor: Actor, rppsInput: string) {
      const id = parseProfessionalId(rppsInput);
      if (!id.ok) throw new DomainError('invalid-professional-identifier', 400, id.detail, [{ pointer: '/params/rpps', detail: id.detail }]);
      const person = await findPersonForEcps(db, id.rpps);
      if (!person) throw new ProfessionalNotFoundError();
      const situations = await listSituationsForEcps(db, person.id);
      if (!(await mayRead(actor, id.rpps, situations))) throw new ProfessionalNotFoundError();
      return eligibility(id.rpps, situations, await entitledProfessions(), person.identityStatus);
    },

    /** The signed-in professional's own page, found through his IDNPS (e-CPS / PSC). */
    async mine(actor: Actor) {
      const id = actor.kind === 'person' && actor.idnps ? parseProfessionalId(actor.idnps) : undefined;
      const person = id?.ok && actor.kind === 'person' && actor.idnps === id.idnps ? await findPersonForEcps(db, id.rpps) : undefined;
      if (!person) {
        // A signed-in person without a record: a state (schemas.ts `myAccessOrNone`); an API key has no "me".
        if (actor.kind === 'person') return { registered: false as const };
        throw new ProfessionalNotFoundError('Votre compte n’est rattaché à aucun professionnel enregistré au RPPS (connexion e-CPS requise).');
      }
      const [situations, status, matrix, roles, professions] = await Promise.all([
        listSituationsForEcps(db, person.id),
        ecps.status(person.rpps),
        matrices.describe(),
        listCodes(db, 'role'),
        listCodes(db, 'profession'),
      ]);
      const on = today();
      const label = (list: typeof roles, code: string) => list.find((r) => r.code === code)?.label ?? code;
      const docLabel = new Map(matrix.documentTypes.map((d) => [d.key, d]));
      const activeRoles = [...new Set(situations.filter((s) => activeOn(s, on)).map((s) => s.roleCode))];
      return {
        registered: true as const,
        rpps: person.rpps,
        idnps: idnpsOf(person.rpps),
        ecps: status,
        situations: situations.map((s) => ({
          egFiness: s.egFiness,
          egName: s.egName,
          professionCode: s.professionCode,
          professionLabel: label(professions, s.professionCode),
          roleCode: s.roleCode,
          roleLabel: label(roles, s.roleCode),
          startDate: s.startDate,
          endDate: s.endDate,
          active: activeOn(s, on),
        })),
        roles: activeRoles.map((code) => ({
          code,
          label: label(roles, code),
          documentTypes: (matrix.grants[code] ?? []).map((key) => ({ key, code: docLabel.get(key)?.code ?? null, label: docLabel.get(key)?.label ?? key })),
        })),
        matrixVersion: { label: matrix.version.label, effectiveFrom: matrix.version.effectiveFrom },
        dmpOpening: dmpOpening(deps.config, on),
        mssante: eligibility(person.rpps, situations, entitledIn(professions), person.identityStatus),
      };
    },
  };
}
