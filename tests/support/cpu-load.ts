import { type ChildProcess, spawn } from 'node:child_process';

/**
 * `TEST_CPU_LOAD=N` (global setup): N CPU-bound processes spin beside the suite for the whole
 * run, as other jobs do on a shared CI machine. `npm run test:loaded` runs the browser tests so
 * (two spinners on the 2-core machine): they must pass, since they wait on conditions with
 * timeouts sized for that (tests/e2e/support/timeouts.ts).
 */
export default function setup() {
  const n = Number(process.env.TEST_CPU_LOAD ?? 0);
  if (!Number.isInteger(n) || n < 0 || n > 64) throw new Error(`TEST_CPU_LOAD=${process.env.TEST_CPU_LOAD}: expected a number of processes (0–64)`);
  if (n === 0) return;
  const spinners: ChildProcess[] = [];
  for (let i = 0; i < n; i++) {
    spinners.push(spawn(process.execPath, ['-e', 'for (;;) Math.sqrt(Math.random())'], { stdio: 'ignore' }));
  }
  process.stdout.write(`TEST_CPU_LOAD: ${n} CPU-bound process${n > 1 ? 'es' : ''} spinning beside the suite (pids ${spinners.map((s) => s.pid).join(', ')})\n`);
  return () => {
    for (const s of spinners) s.kill('SIGKILL');
  };
}
