import { describe, expect, it } from 'vitest';
import type { Actor, PersonActor, StaffRole } from './actor.ts';
import { anonymous } from './actor.ts';
import { type Action, can, type Resource, scopeOf } from './policy.ts';

const ejA = '690800123';
const ejB = '690801576';
const eg1 = '690800206';
const eg2 = '690800388';

const person = (idnps: string, roles: StaffRole[], accountId = `acc-${idnps}`): PersonActor => ({
  kind: 'person',
  accountId,
  sessionId: 's',
  provider: 'psc',
  idnps,
  familyName: 'X',
  givenName: 'Y',
  roles,
  csrfToken: 't',
});

const actors: Record<string, Actor> = {
  anonymous,
  machine: { kind: 'machine', apiKeyId: 'k', name: 'k', scopes: ['structures:import'], ejFiness: null },
  operator: person('op', [{ role: 'operator', ejFiness: null, egFiness: null }]),
  rlA: person('rl', [{ role: 'legal_representative', ejFiness: ejA, egFiness: null }]),
  mandataireA: person('mand', [{ role: 'mandataire', ejFiness: ejA, egFiness: null }]),
  gestEjA: person('gej', [{ role: 'gestionnaire', ejFiness: ejA, egFiness: null }]),
  gestEg1: person('geg', [{ role: 'gestionnaire', ejFiness: ejA, egFiness: eg1 }]),
  professional: person('pro', []),
  /** `registrations:bulk` key of structure A's HR software. */
  bulkKeyA: { kind: 'machine', apiKeyId: 'ka', name: 'SI RH A', scopes: ['directory:read', 'registrations:bulk'], ejFiness: ejA },
  /** National `registrations:bulk` key, created explicitly as such by an ANS operator. */
  bulkNational: { kind: 'machine', apiKeyId: 'kn', name: 'Outil ANS', scopes: ['registrations:bulk'], ejFiness: null },
  /** Bound to EJ A without `registrations:bulk`: registers nowhere. */
  readerA: { kind: 'machine', apiKeyId: 'kr', name: 'Annuaire A', scopes: ['directory:read'], ejFiness: ejA },
};

const ej: Resource = { type: 'ej', ejFiness: ejA };
const eg1Res: Resource = { type: 'eg', ejFiness: ejA, egFiness: eg1 };
const eg2Res: Resource = { type: 'eg', ejFiness: ejA, egFiness: eg2 };
const egB: Resource = { type: 'eg', ejFiness: ejB, egFiness: '690801600' };

/** Who may do what: the table of docs/onboarding-and-policy.md, one row per (action, resource). */
const table: Array<[Action, Resource, string[]]> = [
  ['contract.request', { type: 'platform' }, ['operator', 'rlA', 'mandataireA', 'gestEjA', 'gestEg1', 'professional']],
  ['contract.decide', { type: 'platform' }, ['operator']],
  ['contract.read', { type: 'contract', ejFiness: ejA, requestedBy: 'acc-pro', status: 'submitted' }, ['operator', 'rlA', 'mandataireA', 'professional']],
  ['contract.edit', { type: 'contract', ejFiness: ejA, requestedBy: 'acc-pro', status: 'draft' }, ['professional']],
  ['contract.edit', { type: 'contract', ejFiness: ejA, requestedBy: 'acc-pro', status: 'submitted' }, []],
  ['ej.read', ej, ['operator', 'rlA', 'mandataireA', 'gestEjA']],
  ['strategy.change', ej, ['rlA']],
  ['mandataire.manage', ej, ['rlA']],
  ['mandataire.read', ej, ['operator', 'rlA', 'mandataireA']],
  ['habilitation.manage', ej, ['rlA', 'mandataireA']],
  ['habilitation.manage', { type: 'ej', ejFiness: ejB }, []],
  ['habilitation.revoke', ej, ['operator', 'rlA', 'mandataireA']],
  ['habilitation.read', { type: 'habilitation', ejFiness: ejA, idnps: 'geg' }, ['operator', 'rlA', 'mandataireA', 'gestEg1']],
  ['eg.register', eg1Res, ['operator', 'rlA', 'gestEjA', 'gestEg1', 'bulkKeyA', 'bulkNational']],
  ['eg.register', eg2Res, ['operator', 'rlA', 'gestEjA', 'bulkKeyA', 'bulkNational']],
  ['eg.register', egB, ['operator', 'bulkNational']],
  ['person.read', { type: 'person', idnps: 'pro' }, ['operator', 'professional']],
  ['api-key.manage', { type: 'platform' }, ['operator']],
];

describe('can(actor, action, resource)', () => {
  for (const [action, resource, allowed] of table) {
    it(`${action} on ${JSON.stringify(resource)}: only ${allowed.join(', ') || 'nobody'}`, () => {
      const granted = Object.entries(actors)
        .filter(([, a]) => can(a, action, resource))
        .map(([name]) => name);
      expect(granted).toEqual(allowed);
    });
  }

  it('scopeOf gives the lists used in WHERE clauses', () => {
    expect(scopeOf(actors.gestEg1!)).toMatchObject({ all: false, manageEj: [], registerEj: [], registerEg: [{ ejFiness: ejA, egFiness: eg1 }] });
    expect(scopeOf(actors.rlA!)).toMatchObject({ rlEj: [ejA], manageEj: [ejA], registerEj: [ejA] });
    expect(scopeOf(anonymous)).toMatchObject({ all: false, manageEj: [], idnps: null });
    // A structure's key registers in its EJ only; a national key is never an operator.
    expect(scopeOf(actors.bulkKeyA!)).toMatchObject({ all: false, manageEj: [], registerEj: [ejA], registerEg: [] });
    expect(scopeOf(actors.bulkNational!)).toMatchObject({ all: false, registerEj: [] });
    expect(scopeOf(actors.readerA!)).toMatchObject({ all: false, registerEj: [] });
  });
});
