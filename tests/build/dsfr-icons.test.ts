import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { iconStylesheet } from '../../scripts/dsfr-icons.ts';

const root = path.resolve(import.meta.dirname, '../..');
const packageDir = path.dirname(createRequire(path.join(root, 'package.json')).resolve('@codegouvfr/react-dsfr/package.json'));

/** scripts/dsfr-icons.ts: the DSFR icon stylesheet of the build, without touching node_modules. */
describe('the DSFR icon stylesheet', () => {
  it('has the icons of the web app and of react-dsfr’s components, and only those', () => {
    const { css, used } = iconStylesheet();
    const names = used.map((icon) => `${icon.prefix}${icon.iconId}`);
    // The wizard's receipt (src/web), the header's search (react-dsfr), a remixicon one (src/web).
    expect(names).toEqual(expect.arrayContaining(['fr-icon-printer-line', 'fr-icon-search-line', 'ri-building-line']));
    expect(css).toContain('.fr-icon-printer-line::before');
    expect(css).not.toContain('.fr-icon-bank-line::before');
    expect(names).toEqual([...names].sort());
  });

  it('is what `npm run build` serves, and node_modules is left as npm installed it', () => {
    const served = path.join(root, 'public/dsfr/utility/icons/icons.min.css');
    const shipped = path.join(packageDir, 'dsfr/utility/icons/icons.min.css');
    const before = fs.statSync(shipped).mtimeMs;
    const { css } = iconStylesheet();
    if (fs.existsSync(served)) expect(fs.readFileSync(served, 'utf8')).toBe(css);
    expect(fs.statSync(shipped).mtimeMs).toBe(before);
  });
});
