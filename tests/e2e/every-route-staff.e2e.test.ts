import { describe, it } from 'vitest';
import { skipBrowserTests } from './support/browser.ts';
import { type Ids, roles, seedEveryRoute, staffRoles, walkRole } from './support/every-route.ts';
import { useBrowserStack } from './support/stack.ts';
import { browserTimeouts } from './support/timeouts.ts';

/** Every route of the gestionnaires, the RL and the ANS operator (tests/e2e/support/every-route.ts; the other roles: every-route.e2e.test.ts). */
describe.skipIf(skipBrowserTests)('every route of the staff, in Chromium: axe, console, titles, headings, keyboard', () => {
  const ids = {} as Ids;
  const stack = useBrowserStack({}, (s) => seedEveryRoute(s, ids));

  for (const role of roles.filter((r) => staffRoles.includes(r.name))) {
    it(`${role.name}: ${role.visits.length} pages`, () => walkRole(stack, role, ids), browserTimeouts.testMs * 2);
  }
});
