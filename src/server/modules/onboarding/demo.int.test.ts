import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../tests/support/db.ts';
import { loadDemoData } from '../../demo.ts';
import { counts, demo } from './testing.ts';

describe('onboarding demo data', () => {
  let d: TestDatabase;
  beforeAll(async () => {
    d = await createTestDatabase();
  });
  afterAll(() => d.close());

  it('holds an active EJ with its RL, a mandataire, EJ-wide and EG-scoped gestionnaires, a pending contract', async () => {
    const contracts = await d.db.selectFrom('contract').select(['ejFiness', 'status', 'strategy', 'cdeIdnps']).orderBy('ejFiness').execute();
    expect(contracts).toEqual([
      { ejFiness: demo.pendingEj, status: 'submitted', strategy: 'centralized', cdeIdnps: null },
      { ejFiness: demo.ej, status: 'active', strategy: 'decentralized', cdeIdnps: demo.idnps.rl },
    ]);
    const habs = await d.db.selectFrom('habilitation').select(['idnps', 'scopeKind']).orderBy('idnps').execute();
    expect(habs).toEqual([
      { idnps: demo.idnps.gestionnaireEg, scopeKind: 'eg' },
      { idnps: demo.idnps.gestionnaireEj, scopeKind: 'ej' },
    ]);
  });

  it('is idempotent at every start, and leaves only the operator as a fixture role', async () => {
    const before = await counts(d.db);
    await loadDemoData(d.db);
    await loadDemoData(d.db);
    expect(await counts(d.db)).toEqual(before);
    const roles = await d.db.selectFrom('staffRole').select(['role', 'source']).where('revokedAt', 'is', null).execute();
    expect(roles.filter((r) => !r.source.startsWith('onboarding:')).map((r) => r.role)).toEqual(['operator']);
    expect(roles.filter((r) => r.source.startsWith('onboarding:')).map((r) => r.role).sort()).toEqual(['gestionnaire', 'gestionnaire', 'legal_representative', 'mandataire']);
  });
});
