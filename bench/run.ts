import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Runs every benchmark in bench/ (files named *.bench.ts), one after the other. */
// The project's Node (npm scripts put it first on PATH); `tsx bench/run.ts` from a shell would run
// the machine's own Node, whose figures are not comparable (issue 18: 20 % apart on the FHIR reads).
const major = Number(process.versions.node.split('.')[0]);
if (major < 26) {
  process.stderr.write(`Benchmarks run on the project's Node 26 (npm run bench), not on Node ${process.versions.node}.\n`);
  process.exit(1);
}
const dir = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv[2];
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only)))
  .sort();
for (const file of files) {
  process.stdout.write(`\n== ${file}\n`);
  const mod = (await import(pathToFileURL(path.join(dir, file)).href)) as { run: () => Promise<void> };
  await mod.run();
}
