import fs from 'node:fs';
import path from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

interface Row {
  file: string;
  project: string;
  cpuMs: number | undefined;
  durationMs: number;
  collectMs: number;
  setupMs: number;
  prepareMs: number;
  environmentMs: number;
  tests: number;
  worker: number;
}

/**
 * `npx vitest run <files> --reporter=default --reporter=./tests/support/timing-reporter.ts`:
 * after the summary, the files by CPU time (tests/support/cpu-meter.ts), with their tests' and
 * hooks' duration and what vitest spent before them (import of the file = collect, setup files,
 * runner, environment). `TEST_TIMINGS=path.json` also writes every row there. `TEST_TIMINGS_TOP`
 * sets how many rows are printed (default 20). Used to find where the suite's time goes
 * (docs/testing.md, Suite time).
 */
export default class TimingReporter implements Reporter {
  private rows: Row[] = [];
  private readonly started = process.cpuUsage();

  onTestModuleEnd(m: TestModule) {
    const d = m.diagnostic();
    let tests = 0;
    for (const _ of m.children.allTests()) tests++;
    this.rows.push({
      file: path.relative(process.cwd(), m.moduleId),
      project: m.project.name,
      cpuMs: m.meta().cpuMs,
      durationMs: Math.round(d.duration),
      collectMs: Math.round(d.collectDuration),
      setupMs: Math.round(d.setupDuration),
      prepareMs: Math.round(d.prepareDuration),
      environmentMs: Math.round(d.environmentSetupDuration),
      tests,
      worker: d.concurrencyId,
    });
  }

  onTestRunEnd() {
    const rows = this.rows.sort((a, b) => (b.cpuMs ?? b.durationMs) - (a.cpuMs ?? a.durationMs));
    const s = (ms: number | undefined) => (ms === undefined ? '—' : (ms / 1000).toFixed(1));
    const sum = (k: keyof Row) => rows.reduce((t, r) => t + (Number(r[k]) || 0), 0);
    const main = process.cpuUsage(this.started);
    const top = Number(process.env.TEST_TIMINGS_TOP ?? 20);
    const lines = [
      '',
      `files by CPU time (s; worker and its reaped children; a PostgreSQL server's time is not counted)`,
      `${'cpu'.padStart(6)} ${'tests+hooks'.padStart(11)} ${'collect'.padStart(7)} ${'setup'.padStart(5)}  file`,
      ...rows.slice(0, top).map((r) => `${s(r.cpuMs).padStart(6)} ${s(r.durationMs).padStart(11)} ${s(r.collectMs).padStart(7)} ${s(r.setupMs).padStart(5)}  ${r.file} (${r.project}, ${r.tests} tests, worker ${r.worker})`),
      `${s(sum('cpuMs')).padStart(6)} ${s(sum('durationMs')).padStart(11)} ${s(sum('collectMs')).padStart(7)} ${s(sum('setupMs')).padStart(5)}  all ${rows.length} files; main process ${s((main.user + main.system) / 1000)} s CPU`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    if (process.env.TEST_TIMINGS) fs.writeFileSync(process.env.TEST_TIMINGS, JSON.stringify(rows, null, 2));
  }
}
