import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The DSFR icon stylesheet with only the icons the web app uses, written into public/dsfr (not
 * tracked) and nowhere else: `npm run build`, `npm run dev` and postinstall run it.
 *
 * `react-dsfr update-icons` does the same, and also rewrites files inside node_modules
 * (`@codegouvfr/react-dsfr/dsfr/utility/icons/icons.min.css`, its remixicon SVGs, the `.vite`
 * cache) with no option to leave them alone, for projects that import the stylesheet from the
 * package. This app links it from public/ only, so the build does not need that: node_modules
 * stays as npm installed it, which matters where it is shared (a hard-linked copy per git
 * worktree, a read-only or content-addressed store). The rules come from react-dsfr itself
 * (`generateIconsRawCssCode`, the icon list of the DSFR it ships), only the output place differs:
 * the stylesheet is byte for byte the one `update-icons` writes (docs/operations.md#web-assets).
 */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));

interface Icon {
  iconId: string;
  prefix: 'fr-icon-' | 'ri-';
  svgRelativePath?: string;
  rawSvgCode?: string;
}
const updateIcons = require('@codegouvfr/react-dsfr/bin/only-include-used-icons.js') as {
  PATH_OF_ICONS_JSON: string;
  PATH_OF_PATCHED_RAW_CSS_CODE_FOR_COMPAT_WITH_REMIXICON_RELATIVE_TO_DSFR: string;
  generateIconsRawCssCode(params: { usedIcons: Icon[]; patchedRawCssCodeForCompatWithRemixIcon: string }): string;
};

const packageDir = path.dirname(require.resolve('@codegouvfr/react-dsfr/package.json'));
/** The DSFR as the package ships it: read only. */
const dsfrDir = path.join(packageDir, 'dsfr');
/** The copy the app serves (`react-dsfr copy-static-assets`, postinstall). */
const publicDsfrDir = path.join(root, 'public', 'dsfr');
const iconsDir = path.join('utility', 'icons');

/**
 * Where icon class names are looked for: the app's sources, the page, and react-dsfr's components
 * (its Header, Alert, Upload… use icons of their own), as `update-icons` does; not react-dsfr's
 * `generatedFromCss` (the list of every class name of the DSFR).
 */
const sources = [path.join(root, 'src'), path.join(root, 'index.html'), path.join(packageDir, 'src')];
const sourceFile = /\.(tsx|jsx|js|ts|mdx|html|htm)$/;
const skipped = /(^|[\\/])(generatedFromCss|node_modules|\.[^\\/]+)([\\/]|$)/;

function sourceFiles(entry: string): string[] {
  if (!fs.statSync(entry).isDirectory()) return [entry];
  return (fs.readdirSync(entry, { recursive: true, encoding: 'utf8' }) as string[])
    .filter((f) => sourceFile.test(f) && !skipped.test(path.dirname(f)))
    .map((f) => path.join(entry, f));
}

/**
 * The icons whose class name ("fr-icon-…", "ri-…") appears in a source file, anywhere in its text
 * (what `update-icons` looks for): every run of name characters after a prefix, and each icon
 * name that begins it.
 */
function usedIcons(icons: Icon[], files: string[]): Icon[] {
  const byName = new Map(icons.map((icon) => [`${icon.prefix}${icon.iconId}`, icon]));
  const used = new Set<string>();
  for (const file of files) {
    for (const [run] of fs.readFileSync(file, 'utf8').matchAll(/(?:fr-icon-|ri-)[a-z0-9-]*/g)) {
      for (let end = run.length; end > 3; end--) if (byName.has(run.slice(0, end))) used.add(run.slice(0, end));
    }
  }
  // Sorted: the stylesheet, and so its hash in the page (vite.config.ts), is stable.
  return [...used].sort().map((name) => byName.get(name)!);
}

/** The stylesheet of the icons used, and those icons; reads only (the sources, react-dsfr's DSFR). */
export function iconStylesheet(): { css: string; used: Icon[] } {
  const icons = JSON.parse(fs.readFileSync(path.join(dsfrDir, updateIcons.PATH_OF_ICONS_JSON), 'utf8')) as Icon[];
  const used = usedIcons(icons, sources.flatMap(sourceFiles));
  const css = updateIcons.generateIconsRawCssCode({
    usedIcons: used,
    patchedRawCssCodeForCompatWithRemixIcon: fs.readFileSync(path.join(dsfrDir, updateIcons.PATH_OF_PATCHED_RAW_CSS_CODE_FOR_COMPAT_WITH_REMIXICON_RELATIVE_TO_DSFR), 'utf8'),
  });
  return { css, used };
}

function main() {
  if (!fs.existsSync(publicDsfrDir)) throw new Error(`${publicDsfrDir} is missing: run \`npx react-dsfr copy-static-assets\` first (npm install does).`);
  const { css, used } = iconStylesheet();
  const stylesheet = path.join(publicDsfrDir, iconsDir, 'icons.min.css');
  const changed = !fs.existsSync(stylesheet) || fs.readFileSync(stylesheet, 'utf8') !== css;
  if (changed) fs.writeFileSync(stylesheet, css);
  // The images the stylesheet points to: DSFR icons copied from the package, remixicon ones written
  // from their SVG code (the DSFR ships them inline in icons.json).
  for (const icon of used) {
    if (icon.prefix === 'fr-icon-' && icon.svgRelativePath) {
      const target = path.join(publicDsfrDir, iconsDir, icon.svgRelativePath);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.copyFileSync(path.join(dsfrDir, iconsDir, icon.svgRelativePath), target);
    } else if (icon.prefix === 'ri-' && icon.rawSvgCode) {
      const target = path.join(publicDsfrDir, 'icons', 'remixicon', `${icon.iconId}.svg`);
      fs.mkdirSync(path.dirname(target), { recursive: true });
      fs.writeFileSync(target, icon.rawSvgCode);
    }
  }
  process.stdout.write(`dsfr-icons: ${used.length} icons used${changed ? '' : ', no change'} (public/dsfr/${iconsDir.replaceAll(path.sep, '/')}/icons.min.css)\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
