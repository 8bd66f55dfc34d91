import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChildProcessDatabase, childProcessDatabase } from '../../../../../tests/support/cli.ts';
import { demoFinessFiles } from '../../../demo.ts';
import { luhnKey } from '../../../identifiers.ts';

let child: ChildProcessDatabase;
let dir: string;
beforeAll(async () => {
  child = await childProcessDatabase('rpps-cli-');
  dir = child.dir;
}, 60_000);
afterAll(async () => {
  await child?.close();
});

const rpps = (...args: string[]) => child.rpps(...args);

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
    const saved = child.env;
    child.env = { ...saved, DATABASE_URL: 'mysql://nope' };
    const res = await rpps('db', 'migrate').finally(() => (child.env = saved));
    expect(res.code).toBe(1);
    expect(res.stderr.trim().split('\n').filter((l) => !l.includes('npm warn'))).toEqual([
      expect.stringMatching(/^rpps: Invalid configuration: DATABASE_URL/),
    ]);
  });
});
