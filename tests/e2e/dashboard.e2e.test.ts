import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/server/context.ts';
import { createOperatorAggregates } from '../../src/server/modules/dashboard/aggregates.ts';
import { egIn, seedPendingRequests, seedRegistrations, structurePlan } from '../../src/server/modules/dashboard/testing.ts';
import { demo } from '../../src/server/modules/onboarding/testing.ts';
import { checkPage, keepScreenshots, openPage, screenshotDir, signInWithPsc, skipBrowserTests } from './support/browser.ts';
import { browserTimeouts } from './support/timeouts.ts';
import { type BrowserStack, startBrowserStack } from './support/stack.ts';
import { clickMenuLink, menuLink } from './support/navigation.ts';

/**
 * Issue 10: the structure dashboard draws a chart per figure with its data table under it, the
 * ANS operator's "Pilotage national" page renders; both axe-clean, no console error, recharts
 * loaded only by the dashboards.
 */
describe.skipIf(skipBrowserTests)('dashboards in Chromium', () => {
  let stack: BrowserStack;
  let eg33: string;

  beforeAll(async () => {
    stack = await startBrowserStack();
    const db = stack.database.db;
    eg33 = await egIn(db, '33');
    await seedRegistrations({ db, clock: systemClock, config: stack.database.config }, [...structurePlan, [eg33, '326', 'GENR10'], [await egIn(db, '971'), '328', 'GENR09']]);
    await seedPendingRequests(db, systemClock, [
      { egFiness: demo.eg1, daysAgo: 2 },
      { egFiness: demo.eg1, daysAgo: 12 },
      { egFiness: demo.eg2, daysAgo: 40 },
      { egFiness: eg33, daysAgo: 3 },
    ]);
    // The operator's figures come from the aggregates (the scheduled dashboard.refresh job's work).
    await createOperatorAggregates({ db, clock: systemClock }).refresh();
  }, browserTimeouts.stackMs);
  afterAll(() => stack?.close());

  /** Each figure: a heading, a chart image whose label names it, then its table (caption) and CSV export. */
  async function figure(page: Page, title: string) {
    const section = page.getByRole('region', { name: title, exact: true });
    await section.waitFor();
    const chart = section.getByRole('img', { name: new RegExp(`^(Graphique en barres|Jauge) : ${title.replace(/[()]/g, '.')}`) });
    await chart.locator('svg.recharts-surface').first().waitFor();
    const table = section.getByRole('table', { name: `${title} — tableau des données` });
    return { section, chart, table, cells: () => table.locator('tbody td').allTextContents() };
  }

  it('structure dashboard: a chart and its data table for each figure', async () => {
    const { page, errors, close } = await openPage(stack.browser, stack.baseUrl);
    const scripts: string[] = [];
    page.on('request', (r) => r.resourceType() === 'script' && scripts.push(r.url()));
    try {
      await signInWithPsc(page, /Anne-Sophie LEF/);
      // recharts is a chunk of its own: the other pages do not load it.
      expect(scripts.filter((u) => /\/Chart-[\w-]+\.js$/.test(u))).toEqual([]);
      const nav = await menuLink(page, 'Tableau de bord');
      expect(await page.getByRole('link', { name: 'Pilotage national' }).count()).toBe(0);
      await nav.click();
      await page.getByRole('heading', { level: 1, name: 'Tableau de bord de la structure' }).waitFor();

      // The key figures are DSFR tiles: what is counted, then the figure.
      const tiles = page.locator('.fr-tile');
      await expect.poll(() => tiles.count(), { timeout: browserTimeouts.actionMs }).toBe(4);
      // Persons, as the e-CPS tile counts them; the situations they hold beside.
      expect((await tiles.first().textContent())?.replace(/\s+/g, ' ')).toBe('Professionnels actifs55 situations d’exercice en cours');
      expect(await tiles.nth(1).textContent()).toMatch(/La plus ancienne attend depuis \d+ jours$/);

      const byRole = await figure(page, 'Professionnels actifs par rôle');
      // Every role's name is on the chart in full (wrapped, never cut with "…").
      const ticks = (await byRole.chart.locator('text.rpps-category-label').evaluateAll((els) => els.map((e) => [...e.querySelectorAll('tspan')].map((t) => t.textContent).join(' ')))).map((l) => l.replace(/([/-]) /g, '$1'));
      const roleNames = (await byRole.cells()).filter((_, i) => i % 2 === 0);
      expect(ticks).toEqual(roleNames);
      expect(ticks.join(' ')).not.toContain('…');
      // Seeded in the EJ: GENR10 ×1, GENR11 ×3 (two in EG 1, one in EG 2), GENR08 ×1; shown by their labels.
      expect(await byRole.cells()).toEqual([expect.any(String), '1', expect.any(String), '1', expect.any(String), '3']);
      expect((await byRole.cells()).join(' ')).not.toMatch(/GENR/);
      expect(await byRole.chart.locator('.recharts-bar-rectangle').count()).toBe(3);
      expect(await byRole.chart.getAttribute('aria-label')).toContain(': 3');
      if (keepScreenshots) await byRole.section.screenshot({ path: path.join(screenshotDir, 'dashboard-figure-role.png') });
      await figure(page, 'Professionnels actifs par profession');
      const perMonth = await figure(page, 'Enregistrements par mois (12 derniers mois)');
      expect((await perMonth.cells()).at(-1)).toBe('5');
      const pending = await figure(page, 'Demandes en attente par ancienneté');
      expect(await pending.cells()).toEqual(['moins de 7 jours', '1', '7 à 30 jours', '1', 'plus de 30 jours', '1']);
      const ecps = await figure(page, 'Activation de l’e-CPS');
      expect(await ecps.cells()).toEqual(['Professionnels actifs (personnes)', '5', 'Dont e-CPS activée', '0', 'Taux d’activation', '0 %']);
      expect(scripts.filter((u) => /\/Chart-[\w-]+\.js$/.test(u))).toHaveLength(1);

      await checkPage(page, 'dashboard-structure');
      // Phone width: the charts follow their container.
      await page.setViewportSize({ width: 390, height: 844 });
      await expect.poll(async () => (await byRole.chart.locator('svg.recharts-surface').boundingBox())?.width ?? 999, { timeout: browserTimeouts.actionMs }).toBeLessThan(390);
      if (keepScreenshots) await byRole.section.screenshot({ path: path.join(screenshotDir, 'dashboard-figure-role-mobile.png') });
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, browserTimeouts.testMs);

  it('operator: "Pilotage national" per region and department, stale requests with a chosen threshold (light and dark)', async () => {
    for (const colorScheme of ['light', 'dark'] as const) {
      const { page, errors, close } = await openPage(stack.browser, stack.baseUrl, { colorScheme });
      try {
        await signInWithPsc(page, /Loïc BÉRANGER/);
        await clickMenuLink(page, 'Pilotage national');
        await page.getByRole('heading', { level: 1, name: 'Pilotage national des enregistrements' }).waitFor();

        // The time the figures were computed, in words (Paris time).
        await page.getByText(/^Données au \d{1,2} \p{L}+ \d{4} à \d{1,2} h \d{2}$/u).waitFor();
        const regions = await figure(page, 'Par région');
        // At phone width too, each region's name is on the chart in full (wrapped after a hyphen, never cut).
        await page.setViewportSize({ width: 375, height: 900 });
        const overflow = () =>
          regions.chart.locator('svg.recharts-surface').first().evaluate((svg) => {
            const left = svg.getBoundingClientRect().left;
            return Math.max(0, ...[...svg.querySelectorAll('text.rpps-category-label')].map((t) => left - t.getBoundingClientRect().left));
          });
        await expect.poll(overflow, { timeout: browserTimeouts.actionMs }).toBeLessThan(1);
        await page.setViewportSize({ width: 1280, height: 900 });
        const cells = await regions.cells();
        // Areas by their names, never a bare code (issue 17).
        expect(cells.slice(cells.indexOf('Auvergne-Rhône-Alpes'), cells.indexOf('Auvergne-Rhône-Alpes') + 3)).toEqual(['Auvergne-Rhône-Alpes', '6', '6']);
        expect(cells).toContain('Guadeloupe');
        expect(cells).not.toContain('84');
        const departments = await (await figure(page, 'Par département')).cells();
        expect(departments.slice(departments.indexOf('Rhône (69)'), departments.indexOf('Rhône (69)') + 2)).toEqual(['Rhône (69)', 'Auvergne-Rhône-Alpes']);
        const stale = await figure(page, 'Établissements ayant des demandes en attente depuis 7 jours ou plus');
        expect(await stale.table.locator('tbody tr').count()).toBe(2);

        await page.getByLabel('Une demande en attente est ancienne après (jours)').fill('2');
        await page.getByRole('button', { name: 'Actualiser' }).click();
        const two = await figure(page, 'Établissements ayant des demandes en attente depuis 2 jours ou plus');
        expect(await two.table.locator('tbody tr td:first-child').allTextContents()).toEqual([demo.eg2, demo.eg1, eg33]);
        expect(await two.table.locator('tbody tr td:nth-child(4)').allTextContents()).toContain('Rhône (69)');

        await checkPage(page, `dashboard-operator-${colorScheme}`);
        expect(errors).toEqual([]);

        if (colorScheme === 'light') {
          // A period that ends before it starts: the message is at the start date's field, not in a banner.
          await page.getByLabel('Début de la période').fill('2026-12-01');
          await page.getByLabel('Fin de la période').fill('2026-11-01');
          await page.getByRole('button', { name: 'Actualiser' }).click();
          const from = page.getByLabel('Début de la période');
          await expect.poll(() => from.getAttribute('aria-invalid'), { timeout: browserTimeouts.actionMs }).toBe('true');
          const described = (await from.getAttribute('aria-describedby')) ?? '';
          const messages = await Promise.all(described.split(' ').filter(Boolean).map((id) => page.locator(`[id="${id}"]`).textContent()));
          expect(messages.join(' ')).toContain('La date de début doit précéder la date de fin.');
          expect(await page.locator('.fr-alert--error').count()).toBe(0);
          await checkPage(page, 'dashboard-1');
        }
      } finally {
        await close();
      }
    }
  }, browserTimeouts.testMs);
});
