import { CompiledQuery, sql } from 'kysely';
import { duplicateProbe, matchIdentity } from '../src/server/modules/register/duplicates.ts';
import { type IdentityPair, duplicateQualityGoals, identityPairs, tally, traitsOf } from '../src/server/modules/register/identity-pairs.ts';
import { firstNamesKey, identityKey, nameKey } from '../src/server/modules/register/names.ts';
import { duplicateCandidatesQuery, findDuplicateCandidates } from '../src/server/modules/register/queries.ts';
import type { Database } from '../src/server/db/database.ts';
import { seedPersons } from './person-population.ts';
import { openScratchBenchDatabase } from './support.ts';

/**
 * Duplicate detection quality (issue 16): the labelled identity pairs of identity-pairs.ts run
 * through the real path — the candidate query (queries.ts) on a generated register, then the
 * decision (duplicates.ts) — and the recall, false-alarm rate and silent merges are printed
 * next to the goals (recall ≥ 99 %, false alarms ≤ 1 %, no silent merge). Each pair's
 * registered person is inserted in a transaction rolled back afterwards, so pairs do not see
 * each other. Also printed: how often a probe flags someone of the generated population, the
 * candidate query's latency, and its EXPLAIN plan. BENCH_PERSONS: population size (100,000 on
 * PGlite, 1,000,000 on PostgreSQL).
 */
class Rollback extends Error {}

async function judge(db: Database, pair: IdentityPair, n: number) {
  const registered = traitsOf(pair.registered);
  const typed = traitsOf(pair.typed);
  let outcome: { kind: 'exact' | 'likely' | null; populationFlags: number; ms: number } | undefined;
  try {
    await db.transaction().execute(async (trx) => {
      const rpps = String(90_000_000_000 + n);
      await trx.insertInto('rppsNumber').values({ rpps }).execute();
      await trx
        .insertInto('person')
        .values({
          rpps,
          civilite: registered.sexe === 'F' ? 'MME' : 'M',
          sexe: registered.sexe,
          birthName: registered.birthName,
          usageName: registered.usageName,
          firstNames: registered.firstNames,
          birthDate: registered.birthDate,
          birthCountryCode: registered.birthCountryCode ?? '99100',
          birthCommuneCode: registered.birthCommuneCode ?? null,
          email: `pair${n}@bench.invalid`,
          mobile: `+3371${String(n).padStart(8, '0')}`,
          birthNameKey: nameKey(registered.birthName),
          usageNameKey: registered.usageName ? nameKey(registered.usageName) : null,
          firstNamesKey: firstNamesKey(registered.firstNames),
          identityKey: `pair|${identityKey(registered)}`,
          createdBy: 'bench',
        })
        .execute();
      const started = performance.now();
      const rows = await findDuplicateCandidates(trx, duplicateProbe(typed));
      const ms = performance.now() - started;
      let kind: 'exact' | 'likely' | null = null;
      let populationFlags = 0;
      for (const row of rows) {
        const k = matchIdentity(typed, row);
        if (row.rpps === rpps) kind = k;
        else if (k !== null) populationFlags++;
      }
      outcome = { kind, populationFlags, ms };
      throw new Rollback();
    });
  } catch (err) {
    if (!(err instanceof Rollback)) throw err;
  }
  return outcome!;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
const percent = (x: number) => `${(100 * x).toFixed(2)} %`;

export async function run() {
  const bench = await openScratchBenchDatabase();
  const { db } = bench.handle;
  const backend = bench.handle.backend;
  const persons = Number(process.env.BENCH_PERSONS ?? (backend === 'postgres' ? 1_000_000 : 100_000));
  try {
    const loadStart = performance.now();
    await seedPersons(db, persons);
    await sql`ANALYZE person`.execute(db);
    process.stdout.write(`generated ${persons.toLocaleString('en')} persons on ${backend} in ${((performance.now() - loadStart) / 1000).toFixed(1)} s\n`);

    const results = [];
    const times: number[] = [];
    let populationFlags = 0;
    for (const [i, pair] of identityPairs.entries()) {
      const r = await judge(db, pair, i);
      results.push({ pair, kind: r.kind });
      times.push(r.ms);
      populationFlags += r.populationFlags;
    }
    const t = tally(results);
    times.sort((a, b) => a - b);
    const ok = (b: boolean) => (b ? 'ok' : 'MISSED');
    process.stdout.write(
      [
        `labelled pairs: ${t.pairs} (${t.same} same person, ${t.different} two persons), through the candidate query on ${backend}`,
        `recall:            ${percent(t.recall).padStart(9)}  (${t.caught}/${t.same}; goal ≥ ${percent(duplicateQualityGoals.minRecall)}) ${ok(t.recall >= duplicateQualityGoals.minRecall)}`,
        `false-alarm rate:  ${percent(t.falseAlarmRate).padStart(9)}  (${t.falseAlarms}/${t.different}; goal ≤ ${percent(duplicateQualityGoals.maxFalseAlarmRate)}) ${ok(t.falseAlarmRate <= duplicateQualityGoals.maxFalseAlarmRate)}`,
        `silent merges:     ${String(t.silentMerges).padStart(9)}  (two persons judged one identity; goal 0) ${ok(t.silentMerges === 0)}`,
        `generated persons flagged by the ${t.pairs} probes: ${populationFlags}`,
        `candidate query: p50 ${pct(times, 50).toFixed(2)} ms, p95 ${pct(times, 95).toFixed(2)} ms (${persons.toLocaleString('en')} persons)`,
        ...t.missed.map((m) => `  missed: ${m}`),
        ...t.flagged.map((m) => `  false alarm: ${m}`),
        '',
      ].join('\n'),
    );
    // The plan of one probe, for the record (docs/register.md#duplicate-detection).
    const probe = duplicateProbe(traitsOf(identityPairs[0]!.typed));
    const plan = await explain(db, probe);
    process.stdout.write(`EXPLAIN ANALYZE of the candidate query:\n${plan}\n`);
  } finally {
    await bench.close();
  }
}

async function explain(db: Database, probe: ReturnType<typeof duplicateProbe>) {
  const compiled = duplicateCandidatesQuery(db, probe).compile();
  const res = await db.executeQuery<Record<string, string>>(CompiledQuery.raw(`EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ${compiled.sql}`, [...compiled.parameters]));
  return res.rows.map((r) => `  ${Object.values(r)[0]}`).join('\n');
}
