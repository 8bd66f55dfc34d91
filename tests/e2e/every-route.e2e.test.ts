import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { demo } from '../../src/server/modules/onboarding/testing.ts';
import { paths } from '../../src/web/app/routes.ts';
import { checkPage, openPage, skipBrowserTests } from './support/browser.ts';
import { type Ids, roles, seedEveryRoute, settled, signIn, staffRoles, structure, walkRole, watchProblems } from './support/every-route.ts';
import { publicPages } from './support/public-pages.ts';
import { useBrowserStack } from './support/stack.ts';
import { browserTimeouts } from './support/timeouts.ts';

/**
 * Every route of every role (tests/e2e/support/every-route.ts): the visitor, the mandataire and the
 * people without a staff role here, the gestionnaires, the RL and the operator in
 * every-route-staff.e2e.test.ts (two files: the two workers share the walk). Then the wizard in
 * error, and the check that no route of router.tsx is left out.
 */
describe.skipIf(skipBrowserTests)('every route of every role, in Chromium: axe, console, titles, headings, keyboard', () => {
  const ids = {} as Ids;
  const stack = useBrowserStack({}, (s) => seedEveryRoute(s, ids));

  for (const role of roles.filter((r) => !staffRoles.includes(r.name))) {
    it(`${role.name}: ${role.visits.length} pages`, () => walkRole(stack, role, ids), browserTimeouts.testMs * 2);
  }

  it('the wizard submitted empty: the summary has the focus, each error is on its field and leads to it; axe at both widths', async () => {
    const watched = await openPage(stack.browser, stack.baseUrl);
    const problems = watchProblems(watched, stack.baseUrl);
    const { page } = watched;
    try {
      await signIn(stack, watched, { idnps: demo.idnps.gestionnaireEg });
      await page.goto(paths.registerProfessional);
      await settled(page);
      await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();
      const summary = page.getByRole('alert').filter({ hasText: 'Corrigez les champs signalés' });
      await summary.waitFor();
      await expect.poll(() => page.evaluate(() => !!document.activeElement?.querySelector('[role=alert]')), { timeout: browserTimeouts.actionMs }).toBe(true);
      const s = await structure(page);
      expect(s.untied).toEqual([]);
      expect(s.skipped).toEqual([]);
      const messages = await summary.getByRole('link').count();
      expect(messages).toBeGreaterThanOrEqual(5);
      expect(await page.locator('.fr-input-group--error, .fr-select-group--error').count()).toBeGreaterThanOrEqual(messages - 1);
      // A message of the summary, followed with the keyboard, puts the focus on its field.
      await summary.getByRole('link').first().focus();
      await page.keyboard.press('Enter');
      await expect.poll(() => page.evaluate(() => document.activeElement?.tagName), { timeout: browserTimeouts.actionMs }).toMatch(/^(INPUT|SELECT)$/);
      await checkPage(page, 'route-wizard-step-1-errors');
      // The server's validation answer (422) is what the messages come from; Chromium logs it.
      expect(problems.filter((p) => !/\b422\b|status of 422/.test(p))).toEqual([]);
    } finally {
      await watched.close();
    }
  }, browserTimeouts.testMs);

  it('public forms sent empty: each error on its field, tied to it, with no request sent and axe at both widths', async () => {
    const watched = await openPage(stack.browser, stack.baseUrl);
    const problems = watchProblems(watched, stack.baseUrl);
    const { page } = watched;
    try {
      for (const [path, button] of [
        [paths.ecpsActivation, 'Recevoir un code par SMS'],
        [paths.helpContact, 'Envoyer la demande'],
      ] as const) {
        await page.goto(path);
        await settled(page);
        problems.length = 0;
        await page.locator('main').getByRole('button', { name: button }).click();
        await page.locator('main .fr-input-group--error, main .fr-select-group--error').first().waitFor();
        const s = await structure(page);
        expect(s.untied, path).toEqual([]);
        await checkPage(page, `route-empty-form${path.replace(/\//g, '-')}`);
        // Nothing was sent: an empty field is said before any request.
        expect(problems, path).toEqual([]);
      }
    } finally {
      await watched.close();
    }
  }, browserTimeouts.testMs);

  it('no route of router.tsx is left out (public pages: pages.e2e.test.ts)', () => {
    const router = fs.readFileSync(new URL('../../src/web/app/router.tsx', import.meta.url), 'utf8');
    const staticPaths: Record<string, string> = {};
    for (const [key, value] of Object.entries(paths)) if (typeof value === 'string') staticPaths[key] = value;
    const patterns = [...router.matchAll(/path: (paths\.(\w+)|`([^`]+)`|'([^']+)')/g)].map(([, , key, template, literal]) => {
      if (key) return staticPaths[key]!;
      if (template) return template.replace(/\$\{paths\.(\w+)\}/g, (_, k: string) => staticPaths[k]!);
      return literal!;
    });
    expect(patterns.length).toBeGreaterThan(30);
    const asked = [...publicPages.map((p) => p.path), ...roles.flatMap((r) => r.visits.map((v) => (typeof v.path === 'string' ? v.path : v.path({ preregistration: 'id' }))))].map(
      (url) => new URL(url, 'http://x').pathname,
    );
    const left = patterns
      .filter((pattern) => pattern !== '*')
      .filter((pattern) => {
        const re = new RegExp(`^${pattern.replace(/:\w+/g, '[^/]+')}$`);
        return !asked.some((p) => re.test(p));
      });
    expect(left, 'routes no role visits').toEqual([]);
  });
});
