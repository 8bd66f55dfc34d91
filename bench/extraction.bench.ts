import { systemClock } from '../src/server/context.ts';
import { createDirectoryExtraction } from '../src/server/modules/directory/extraction.ts';
import { openPopulationBenchDatabase } from './population.ts';

/**
 * Generation of the full extraction file (PS_LibreAcces zip, stored in the database) over a
 * generated directory of BENCH_DIRECTORY_SIZE professionals (bench/population.ts: 3,000,000 on
 * PostgreSQL, seeded once and reused): time, lines/s
 * and memory. Memory is sampled every 50 ms during the generation: peak RSS and peak heap, next
 * to the RSS measured just before, so the delta shows whether memory grows with the directory
 * (it should not: keyset batches of 5,000 rows in, 1 MB chunks out).
 */
export async function run() {
  const bench = await openPopulationBenchDatabase();
  try {
    const seeded = bench.report.directory;
    process.stdout.write(`${seeded.practitioners} professionals, ${seeded.roles} situations (${bench.handle.backend})\n`);
    const extraction = createDirectoryExtraction({ db: bench.handle.db, clock: systemClock, keep: 2 });

    globalThis.gc?.();
    const baseline = process.memoryUsage();
    let peakRss = baseline.rss;
    let peakHeap = baseline.heapUsed;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }, 50);
    const started = performance.now();
    let result: Awaited<ReturnType<typeof extraction.generate>>;
    try {
      result = await extraction.generate('full');
    } finally {
      clearInterval(sampler);
    }
    const seconds = (performance.now() - started) / 1000;
    if (result.status !== 'generated') throw new Error(`extraction not generated: ${result.status}`);
    const e = result.extraction;
    const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
    process.stdout.write(
      [
        `full extraction (${bench.handle.backend}): ${e.lineCount} lines, zip ${mb(Number(e.sizeBytes))} MB`,
        `  time ${seconds.toFixed(1)} s, ${Math.round(e.lineCount / seconds)} lines/s`,
        `  RSS before ${mb(baseline.rss)} MB, peak ${mb(peakRss)} MB (delta ${mb(peakRss - baseline.rss)} MB); heap before ${mb(baseline.heapUsed)} MB, peak ${mb(peakHeap)} MB`,
      ].join('\n') + '\n',
    );
  } finally {
    await bench.close();
  }
}
