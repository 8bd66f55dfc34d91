/**
 * The previous release's sources, to run them against the current schema
 * (docs/operations.md#migrations, tests/cluster/previous-release.test.ts).
 *
 * "The previous release" is the commit named in `deploy/previous-release` (the release running in
 * production, which the next one must run beside during a rolling deployment and fall back to on
 * a rollback); `PREVIOUS_RELEASE=<ref>` overrides it. Its sources are extracted with `git archive`
 * into a scratch directory. Its dependencies are the current `node_modules` (a symbolic link) when
 * every production package of its lockfile is installed here at the same version; otherwise its
 * production dependencies are installed there with `npm ci --omit=dev --ignore-scripts`.
 *
 *   node scripts/previous-release.ts   # prints the directory (kept), for a manual run
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] }).toString().trim();

export interface PreviousRelease {
  /** The ref as written (commit or tag) and the commit it names. */
  ref: string;
  commit: string;
  dir: string;
  /** How its dependencies were provided. */
  dependencies: 'linked' | 'installed';
  /** Its start command as argv after `node` (from its package.json `start` script). */
  startArgs: string[];
  remove(): void;
}

/** The ref of the previous release: `PREVIOUS_RELEASE`, else the first non-comment line of deploy/previous-release. */
export function previousReleaseRef(env: NodeJS.ProcessEnv = process.env): string {
  if (env.PREVIOUS_RELEASE) return env.PREVIOUS_RELEASE;
  const file = path.join(root, 'deploy/previous-release');
  const line = fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '' && !l.startsWith('#'));
  if (!line) throw new Error(`${file} names no commit`);
  return line;
}

/**
 * The commit of `ref`, fetched from `origin` if this clone lacks it (a shallow clone, as CI
 * systems often make). Throws with what to do when it cannot be had: the check is never skipped
 * silently.
 */
function resolveCommit(ref: string): string {
  const have = () => {
    try {
      return git('rev-parse', '--verify', '--quiet', `${ref}^{commit}`);
    } catch {
      return undefined;
    }
  };
  const found = have();
  if (found) return found;
  let fetchError = '';
  try {
    git('fetch', '--quiet', '--depth=1', 'origin', ref);
    return git('rev-parse', '--verify', 'FETCH_HEAD^{commit}');
  } catch (err) {
    fetchError = (err as { stderr?: Buffer }).stderr?.toString().trim() || String(err);
  }
  let shallow = '';
  try {
    shallow = git('rev-parse', '--is-shallow-repository') === 'true' ? ' This clone is shallow:' : '';
  } catch {
    shallow = ' This is not a git clone:';
  }
  throw new Error(
    `The previous release ${ref} (deploy/previous-release) is not in this clone.${shallow} fetch it ` +
      `(git fetch --depth=1 origin ${ref}) or clone with history, or set PREVIOUS_RELEASE to a commit that is here.` +
      (fetchError ? ` (git fetch: ${fetchError})` : ''),
  );
}

type Lock = { packages: Record<string, { version?: string; dev?: boolean; link?: boolean }> };

/** Production packages of `previous` missing from `current` or at another version. */
export function lockDifferences(previous: Lock, current: Lock): string[] {
  const out: string[] = [];
  for (const [key, p] of Object.entries(previous.packages)) {
    if (key === '' || p.dev || p.link) continue;
    const now = current.packages[key];
    if (now?.version !== p.version) out.push(`${key.replace(/^node_modules\//, '')} ${p.version} → ${now?.version ?? 'absent'}`);
  }
  return out;
}

export function checkoutPreviousRelease(options: { log?: (line: string) => void; ref?: string } = {}): PreviousRelease {
  const log = options.log ?? (() => {});
  const ref = options.ref ?? previousReleaseRef();
  const commit = resolveCommit(ref);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `rpps-previous-${commit.slice(0, 8)}-`));
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  try {
    const archive = path.join(dir, '.source.tar');
    git('archive', '--format=tar', '-o', archive, commit);
    execFileSync('tar', ['-xf', archive, '-C', dir]);
    fs.rmSync(archive);

    const previousLock = JSON.parse(fs.readFileSync(path.join(dir, 'package-lock.json'), 'utf8')) as Lock;
    const currentLock = JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as Lock;
    const differences = lockDifferences(previousLock, currentLock);
    let dependencies: PreviousRelease['dependencies'];
    if (differences.length === 0) {
      fs.symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
      dependencies = 'linked';
    } else {
      log(`its production dependencies differ (${differences.slice(0, 5).join(', ')}${differences.length > 5 ? ', …' : ''}): npm ci --omit=dev`);
      // No install scripts: the server runs on this process's Node, and the web build is not needed.
      execFileSync('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
      dependencies = 'installed';
    }

    const start = (JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { scripts?: { start?: string } }).scripts?.start ?? '';
    const match = /^node\s+(.+)$/.exec(start.trim());
    if (!match) throw new Error(`the previous release's start script is not "node …": ${start}`);
    return { ref, commit, dir, dependencies, startArgs: match[1]!.split(/\s+/), remove };
  } catch (err) {
    remove();
    throw err;
  }
}

if (import.meta.main) {
  const release = checkoutPreviousRelease({ log: (line) => process.stderr.write(`${line}\n`) });
  process.stdout.write(`${release.dir}\n`);
  process.stderr.write(`previous release ${release.ref} (${release.commit.slice(0, 12)}), dependencies ${release.dependencies}: cd ${release.dir} && node ${release.startArgs.join(' ')}\n`);
}
