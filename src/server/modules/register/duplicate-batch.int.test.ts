import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, fixedClock, type TestDatabase } from '../../../../tests/support/db.ts';
import { isValidRpps } from '../../identifiers.ts';
import { findDuplicateCandidatesOfMany } from './duplicate-batch.ts';
import { duplicateProbe } from './duplicates.ts';
import { findDuplicateCandidates } from './queries.ts';
import { candidatesAndPreparation } from './registration-write.ts';
import { allocateRpps, allocateRppsBlock } from './rpps.ts';
import { createRegisterService } from './service.ts';
import { actor, distinctRegistration, scope } from './testing.ts';
import type { EtatCivil } from './types.ts';

// test:clock: not date-sensitive (the batch query against the single one; number blocks).
/** Issue 18: a bulk import's set-based steps, and a registration's combined statement, give what the single steps give. */
let t: TestDatabase;
const clock = fixedClock('2026-11-23T10:00:00Z');

beforeAll(async () => {
  t = await createTestDatabase();
  const register = createRegisterService({ db: t.db, clock, config: t.config });
  for (let i = 0; i < 6; i++) await register.registerProfessional(actor, scope, distinctRegistration(3100 + i));
});
afterAll(() => t?.close());

const identity = (over: Partial<EtatCivil>): EtatCivil => ({
  civilite: 'M', sexe: 'M', birthName: 'X', usageName: null, firstNames: ['Y'], birthDate: '1990-01-01', birthCountryCode: '99100', birthCommuneCode: '69123', birthPlace: null, ...over,
});

describe('duplicate candidates of many identities in one query', () => {
  it('gives each identity the candidates of the single query', async () => {
    const persons = await t.db.selectFrom('person').select(['birthName', 'firstNames', 'birthDate', 'sexe']).where('birthName', 'like', 'NOM%').orderBy('birthDate').execute();
    expect(persons.length).toBeGreaterThanOrEqual(6);
    const [a, b, c] = persons as [(typeof persons)[number], (typeof persons)[number], (typeof persons)[number]];
    const swapped = (d: string) => `${d.slice(0, 4)}-${d.slice(8, 10)}-${d.slice(5, 7)}`;
    const probes = [
      identity({ birthName: a.birthName, firstNames: a.firstNames, birthDate: a.birthDate, sexe: a.sexe }), // exact
      identity({ birthName: `${b.birthName}E`, firstNames: b.firstNames, birthDate: b.birthDate, sexe: b.sexe }), // one letter more
      identity({ birthName: c.birthName, firstNames: c.firstNames, birthDate: Number(c.birthDate.slice(8, 10)) <= 12 ? swapped(c.birthDate) : c.birthDate }), // a slip
      identity({ birthName: 'Personne', firstNames: ['Inconnue'], birthDate: '1931-03-03' }), // nobody
    ].map(duplicateProbe);
    const many = await findDuplicateCandidatesOfMany(t.db, probes);
    for (const [i, probe] of probes.entries()) {
      const single = await findDuplicateCandidates(t.db, probe);
      const ids = (rows: { id: string }[]) => rows.map((r) => r.id).sort();
      expect(ids(many.get(i) ?? [])).toEqual(ids(single));
      // Every column of a candidate, as the single query gives it.
      for (const row of single) expect(many.get(i)!.find((m) => m.id === row.id)).toMatchObject(row);
    }
    expect(many.get(0)?.length).toBeGreaterThan(0);
    expect(many.has(3)).toBe(false);

    // The registration's statement (candidates and preparation together, prepared) gives the same rows.
    for (const probe of probes) {
      const single = await findDuplicateCandidates(t.db, probe);
      const found = await t.db.transaction().execute((trx) => candidatesAndPreparation(trx, probe, '690800206', t.config.rppsRange, clock.now(), '10000000009'));
      expect([...found.candidates].sort((x, y) => x.id.localeCompare(y.id))).toEqual([...single].sort((x, y) => x.id.localeCompare(y.id)));
    }
  });
});

describe('RPPS numbers in blocks', () => {
  it('one sequence call gives distinct valid numbers, recorded as taken, never handed out again', async () => {
    const block = await t.db.transaction().execute((trx) => allocateRppsBlock(trx, t.config.rppsRange, clock.now(), 250));
    expect(new Set(block).size).toBe(250);
    expect(block.every(isValidRpps)).toBe(true);
    const ledger = await t.db.selectFrom('rppsNumber').select('rpps').where('rpps', 'in', block).execute();
    expect(ledger).toHaveLength(250);
    // A block rolled back is not reissued: the next number comes after it.
    const lost = await t.db
      .transaction()
      .execute(async (trx) => {
        const numbers = await allocateRppsBlock(trx, t.config.rppsRange, clock.now(), 10);
        throw Object.assign(new Error('rollback'), { numbers });
      })
      .catch((err: { numbers: string[] }) => err.numbers);
    const next = await t.db.transaction().execute((trx) => allocateRpps(trx, t.config.rppsRange, clock.now()));
    expect([...block, ...lost]).not.toContain(next);
    expect(Number(next.slice(0, 10))).toBeGreaterThan(Math.max(...lost.map((n) => Number(n.slice(0, 10)))));
  });
});
