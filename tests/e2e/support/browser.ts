import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { AxeResults, RunOptions } from 'axe-core';
import { type Browser, chromium, type Frame, type Page } from 'playwright-core';
import { browserTimeouts } from './timeouts.ts';

import { chromiumPath } from './chromium.ts';

export { chromiumPath, hasChromium, skipBrowserTests } from './chromium.ts';
export const screenshotDir = path.resolve('test-results/e2e');

let shared: Promise<Browser> | undefined;

/**
 * The Chromium of this vitest worker, launched by the first browser test file it runs and shared
 * by the next ones (project `browser` keeps its workers' module cache, vitest.config.ts): each
 * test still opens its own context (`openPage`), and a file ends with {@link releaseBrowser}.
 * Playwright closes it when the worker exits.
 */
export function workerBrowser(): Promise<Browser> {
  shared ??= launchBrowser().then((browser) => {
    browser.on('disconnected', () => (shared = undefined));
    return browser;
  });
  return shared;
}

/** The end of a file's use of the worker's Chromium: closes the contexts it left open. */
export async function releaseBrowser(browser: Browser | undefined): Promise<void> {
  await Promise.all(browser?.contexts().map((c) => c.close()) ?? []);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-dev-shm-usage',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface WatchedPage {
  page: Page;
  /** Console errors and uncaught page errors seen so far. */
  errors: string[];
  close(): Promise<void>;
}

/** A page in its own context (its own cookies and storage) that records every console/page error. */
export async function openPage(
  browser: Browser,
  baseURL: string,
  options: { colorScheme?: 'light' | 'dark'; viewport?: { width: number; height: number } } = {},
): Promise<WatchedPage> {
  const context = await browser.newContext({
    baseURL,
    locale: 'fr-FR',
    colorScheme: options.colorScheme ?? 'light',
    viewport: options.viewport ?? { width: 1280, height: 900 },
    // No CSS transitions (DSFR honours prefers-reduced-motion): nothing to animate, nor to wait for.
    reducedMotion: 'reduce',
  });
  // Sized for a busy machine (timeouts.ts): every wait is on a condition, never a fixed sleep.
  context.setDefaultTimeout(browserTimeouts.actionMs);
  context.setDefaultNavigationTimeout(browserTimeouts.navigationMs);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console.error: ${msg.text()} (${msg.location().url})`);
  });
  page.on('pageerror', (err) => errors.push(`page error: ${err.message}`));
  return { page, errors, close: () => context.close() };
}

/** The axe rules run: WCAG 2.0/2.1 A and AA. */
export const axeTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const axeSource = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Injects axe-core into a frame unless its document already has it (once per document, not per run). */
async function injectAxe(frame: Frame): Promise<void> {
  if (await frame.evaluate(() => typeof (window as { axe?: unknown }).axe === 'undefined')) await frame.evaluate(axeSource);
}

/** axe-core on the current page with the WCAG 2.0/2.1 A and AA rules; returns readable violations. */
export async function axeViolations(page: Page): Promise<string[]> {
  // axe.run in the page itself, axe injected once per document. (@axe-core/playwright's AxeBuilder
  // injected it again on every call and finished each run in a new blank page: a third of the CPU
  // of pages.e2e.) Only violations are collected in full (resultTypes): the same rules are run,
  // far less is serialised.
  await Promise.all(page.frames().map(injectAxe));
  return page.evaluate(async (tags) => {
    const { axe } = window as unknown as { axe: { run(context: Document, options: RunOptions): Promise<AxeResults> } };
    const results = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
    return results.violations.map(
      (v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(' | ')}`,
    );
  }, axeTags);
}

/** The two widths every journey page is checked at: a desktop and a small phone (issue 17). */
export const journeyWidths = [1280, 375] as const;

/**
 * Every screenshot is kept with `E2E_SCREENSHOTS=1` (to look at the pages); otherwise only those of
 * a page found with axe violations. Taking them all costs about 13 % of the browser tests' CPU.
 */
export const keepScreenshots = process.env.E2E_SCREENSHOTS === '1';

/**
 * One call per page a journey walks: axe (WCAG 2.0/2.1 A and AA) at 1280 and at 375 px wide, with
 * a full-page screenshot at each width (`<name>-1280.png`, `<name>-375.png`; kept when
 * `E2E_SCREENSHOTS=1` or when axe finds violations at that width); the page is left at the width
 * it had. An open DSFR modal is checked once it has finished opening.
 * Fails with the violations found, named by page and width.
 */
export async function checkPage(page: Page, name: string): Promise<void> {
  const before = page.viewportSize() ?? { width: 1280, height: 900 };
  if (await page.locator('dialog[open]').count()) {
    // Focus inside, and the DSFR fade-in (opacity 0.3 s; none with reduced motion) over: its colours are final (a condition, not a sleep).
    await page.waitForFunction(() => {
      const open = document.activeElement?.closest('dialog[open]');
      return open instanceof HTMLElement && getComputedStyle(open).opacity === '1';
    });
  }
  const found: string[] = [];
  try {
    for (const width of journeyWidths) {
      if (before.width !== width) await page.setViewportSize({ width, height: before.height });
      const violations = await axeViolations(page);
      found.push(...violations.map((v) => `${name} at ${width} px: ${v}`));
      await screenshot(page, `${name}-${width}`, { evenIfNotKept: violations.length > 0 });
    }
  } finally {
    if (page.viewportSize()?.width !== before.width) await page.setViewportSize(before);
  }
  if (found.length > 0) throw new Error(`axe violations (screenshots in ${screenshotDir}):\n${found.join('\n')}`);
}

/** A full-page screenshot `<name>.png` in test-results/e2e, when screenshots are kept ({@link keepScreenshots}). */
export async function screenshot(page: Page, name: string, options: { evenIfNotKept?: boolean } = {}): Promise<void> {
  if (!keepScreenshots && !options.evenIfNotKept) return;
  fs.mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

/** Signs in through the embedded Pro Santé Connect provider as the demo identity whose button matches `who`. */
export async function signInWithPsc(page: Page, who: RegExp): Promise<void> {
  await page.goto('/connexion');
  await page.getByRole('link', { name: 'Se connecter avec Pro Santé Connect' }).click();
  await page.waitForURL(/\/dev-idp\/psc\/interaction\//);
  await page.getByRole('button', { name: who }).click();
  await page.waitForURL(/\/mon-espace$/);
}
