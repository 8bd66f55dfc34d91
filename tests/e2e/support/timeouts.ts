import { outcomeTimeoutMs } from '../../support/until.ts';

/**
 * Timeouts of the browser tests, sized for a busy CI machine (2 cores, other jobs beside the
 * suite, `npm run test:loaded`), not for a quiet laptop: a timeout only decides how long a broken
 * test takes to fail, never whether a working one passes. Speed is `npm run bench`'s business.
 */
export const browserTimeouts = {
  /** Starting a stack: database copy, app, jobs, Chromium (a `beforeAll`). */
  stackMs: 180_000,
  /** One browser test (`it`): several pages, each with an axe run. */
  testMs: 240_000,
  /** One Playwright action or wait (click, fill, `locator.waitFor`, `expect.poll`). */
  actionMs: outcomeTimeoutMs,
  /** One navigation (`page.goto`, `waitForURL`): the first load of the web app compiles nothing but still parses ~1 MB. */
  navigationMs: 60_000,
};
