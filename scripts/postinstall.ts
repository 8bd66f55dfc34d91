import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm install` / `npm ci` (postinstall). With the development tools installed: DSFR assets,
 * icons (scripts/dsfr-icons.ts) and the web build (dist/web). A production install (`npm ci --omit=dev`) has no Vite:
 * it keeps the web assets built by the build stage (docs/operations.md). Both then write the
 * embedded-database snapshot (src/server/db/prepare-pglite-base.ts).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const run = (cmd: string, args: string[]) => {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

if (fs.existsSync(path.join(root, 'node_modules/vite/package.json'))) {
  run('react-dsfr', ['copy-static-assets']);
  // The icon stylesheet with the icons used, into public/dsfr only (not `react-dsfr update-icons`,
  // which also rewrites node_modules: scripts/dsfr-icons.ts).
  run(process.execPath, [path.join(root, 'scripts/dsfr-icons.ts')]);
  run('vite', ['build', '--logLevel', 'warn']);
} else if (!fs.existsSync(path.join(root, 'dist/web/index.html'))) {
  process.stderr.write('rpps-plus: production install without the web app (dist/web): build it first (npm ci && npm run build), see docs/operations.md\n');
}
run(process.execPath, [path.join(root, 'src/server/db/prepare-pglite-base.ts')]);
