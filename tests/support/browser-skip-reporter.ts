import path from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import { chromiumMissingLine, skipBrowserTests } from '../e2e/support/chromium.ts';

const browserTestDir = `${path.sep}tests${path.sep}e2e${path.sep}`;

/**
 * Ends a run that skipped the browser tests (no Chromium, outside CI) with one line saying so,
 * after the summary, so that a green run is not mistaken for a full one. In CI the browser tests
 * are not skipped: a missing Chromium fails them (tests/e2e/support/chromium.ts).
 */
export default class BrowserSkipReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    if (!skipBrowserTests) return;
    if (!testModules.some((m) => m.moduleId.includes(browserTestDir))) return;
    process.stdout.write(`\n${chromiumMissingLine}\n`);
  }
}
