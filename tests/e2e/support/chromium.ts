import fs from 'node:fs';

/**
 * Debian's Chromium, driven by playwright-core (docs/testing.md, Browser tests). `CHROMIUM_PATH`
 * points elsewhere (e.g. a path that does not exist, to see what a run without Chromium does).
 */
export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const hasChromium = fs.existsSync(chromiumPath);
/**
 * Locally a missing browser skips the browser tests, and the run ends with one line saying so
 * (tests/support/browser-skip-reporter.ts); in CI (CI=true) they must run, so they fail.
 */
export const skipBrowserTests = !hasChromium && !process.env.CI;
export const chromiumMissingLine = 'browser tests skipped: install chromium (apt-get install chromium)';
