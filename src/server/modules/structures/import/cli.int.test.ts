import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../../tests/support/db.ts';
import { demoFinessFiles } from '../../../demo.ts';
import { luhnKey } from '../../../identifiers.ts';

const run = promisify(execFile);
const root = path.resolve(import.meta.dirname, '../../../../..');

let t: TestDatabase | undefined;
let dir: string;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpps-cli-'));
  // eslint-disable-next-line no-restricted-properties -- the child CLI inherits PATH (pinned Node) and the test settings
  env = { ...process.env, NODE_ENV: 'test', LOG_LEVEL: 'silent', DATA_DIR: path.join(dir, 'data') };
  const templateDir = inject('templateDir');
  if (templateDir) {
    // The child process needs the PGlite directory to itself (lock): give it a template copy.
    fs.cpSync(templateDir, path.join(dir, 'data'), { recursive: true });
    delete env.DATABASE_URL;
  } else {
    t = await createTestDatabase();
    env.DATABASE_URL = t.config.databaseUrl;
  }
}, 60_000);
afterAll(async () => {
  await t?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function rpps(...args: string[]) {
  try {
    const { stdout, stderr } = await run('npx', ['tsx', 'src/cli/index.ts', ...args], { cwd: root, env });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('rpps finess import', () => {
  it('imports files, and a second run reports the same counts with nothing changed', async () => {
    const egFile = path.join(dir, 'eg.csv');
    const lines = fs.readFileSync(demoFinessFiles[1]!, 'utf8').split('\n');
    // A new EG under a known EJ, so the first run inserts one record.
    lines.splice(1, 0, lines[1]!.replace('690800206', '690800990').replace('EHPAD LES TILLEULS;', 'EHPAD LES TILLEULS BIS;'));
    fs.writeFileSync(egFile, lines.join('\n'));

    const first = await rpps('finess', 'import', egFile, demoFinessFiles[2]!);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain('eg.csv: 41 read, 1 inserted, 0 updated, 40 unchanged, 0 invalid');
    expect(first.stdout).toContain('finess-structures-sample.json.gz: 7 read, 0 inserted, 0 updated, 7 unchanged, 0 invalid');

    const second = await rpps('finess', 'import', egFile);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain('eg.csv: 41 read, 0 inserted, 0 updated, 41 unchanged, 0 invalid');
  });

  it('a bad line: reports file and line, imports nothing and exits 1; --skip-invalid imports the rest', async () => {
    const file = path.join(dir, 'bad.csv');
    const lines = fs.readFileSync(demoFinessFiles[0]!, 'utf8').trim().split('\n');
    lines.push(lines[1]!.replace('690800123', `69080098${luhnKey('69080098')}`).replace('ASSOCIATION LES TILLEULS;', 'ASSOCIATION NOUVELLE;'));
    lines[3] = lines[3]!.replace('330050311', '330050312');
    fs.writeFileSync(file, lines.join('\n'));

    const refused = await rpps('finess', 'import', file);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/bad\.csv: ligne 4: nofiness « 330050312 » invalide/);
    expect(refused.stdout).toContain('bad.csv: nothing imported: 1 invalid of 9 records');

    const skipped = await rpps('finess', 'import', '--skip-invalid', file);
    expect(skipped.code).toBe(0);
    expect(skipped.stdout).toContain('bad.csv: 9 read, 1 inserted, 0 updated, 7 unchanged, 1 invalid');
  });

  it('a configuration error prints one line naming the variable and exits 1', async () => {
    const saved = env;
    env = { ...env, DATABASE_URL: 'mysql://nope' };
    const res = await rpps('db', 'migrate');
    env = saved;
    expect(res.code).toBe(1);
    expect(res.stderr.trim().split('\n').filter((l) => !l.includes('npm warn'))).toEqual([
      expect.stringMatching(/^rpps: Invalid configuration: DATABASE_URL/),
    ]);
  });
});
