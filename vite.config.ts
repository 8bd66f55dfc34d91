import react from '@vitejs/plugin-react';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

/** Brotli and gzip twins of the built assets: the server sends them as they are (no compression per request). */
function precompress(): Plugin {
  return {
    name: 'rpps-precompress',
    apply: 'build',
    closeBundle() {
      const walk = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
      for (const file of walk('dist/web/assets').concat('dist/web/index.html')) {
        if (!/\.(js|css|html|svg|json)$/.test(file)) continue;
        const content = fs.readFileSync(file);
        if (content.length < 1024) continue;
        fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(content));
        fs.writeFileSync(`${file}.gz`, zlib.gzipSync(content, { level: 9 }));
      }
    },
  };
}

/**
 * The DSFR icon stylesheet, linked with a hash of its content so browsers fetch it again when the
 * icons used change. scripts/dsfr-icons.ts (predev, prebuild) writes the stylesheet with only
 * the icons the sources use into public/dsfr (not tracked). (`react-dsfr update-icons`, which it
 * replaces, also rewrote a `?hash=` in a tracked index.html, and files in node_modules.)
 * index.html holds a placeholder, and the link is written here, into the served or built page only.
 */
const iconsPlaceholder = '<!-- dsfr-icons -->';
const iconsStylesheet = 'dsfr/utility/icons/icons.min.css';
function dsfrIcons(): Plugin {
  // Not Vite's resolved public directory option: react-dsfr reads this file, and would take its
  // name here for the option (it looks for the word in the text).
  let root = '.';
  return {
    name: 'rpps-dsfr-icons',
    configResolved(config) {
      root = config.root;
    },
    transformIndexHtml(html) {
      const file = path.join(root, 'public', iconsStylesheet);
      if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`node scripts/dsfr-icons.ts\` (npm run build and npm run dev do).`);
      if (!html.includes(iconsPlaceholder)) throw new Error(`index.html has no ${iconsPlaceholder} placeholder for the DSFR icon stylesheet.`);
      const hash = createHash('sha256').update(fs.readFileSync(file)).digest('hex').slice(0, 8);
      return html.replace(iconsPlaceholder, `<link rel="stylesheet" href="/${iconsStylesheet}?hash=${hash}" />`);
    },
  };
}

/** The server's paths, which `npm run dev`'s Vite passes on to the server. */
const serverPaths = ['/api', '/health', '/fhir', '/auth', '/dev-idp'];
/** Where `npm run dev` starts the server: PORT, 3000 by default, as src/server/config.ts reads it. */
export const devServerUrl = (env: Record<string, string | undefined>) => `http://localhost:${env.PORT || 3000}`;

export default defineConfig({
  plugins: [react(), dsfrIcons(), precompress()],
  build: { outDir: 'dist/web', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: { proxy: Object.fromEntries(serverPaths.map((p) => [p, devServerUrl(process.env)])) },
});
