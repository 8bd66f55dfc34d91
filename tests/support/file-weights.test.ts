import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { repoRoot } from './clock-selection.ts';
import { fileWeights } from './file-weights.ts';

it('names only test files that exist (a renamed long file would silently start last again)', () => {
  const missing = Object.keys(fileWeights).filter((f) => !fs.existsSync(path.join(repoRoot, f)) || !f.endsWith('.test.ts'));
  expect(missing).toEqual([]);
});
