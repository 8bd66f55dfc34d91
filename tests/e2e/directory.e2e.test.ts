import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayOf } from '../../src/server/calendar.ts';
import { systemClock } from '../../src/server/context.ts';
import { createDirectoryExtraction } from '../../src/server/modules/directory/extraction.ts';
import { createRegisterService } from '../../src/server/modules/register/service.ts';
import { actor, distinctRegistration, scope } from '../../src/server/modules/register/testing.ts';
import { until } from '../support/until.ts';
import { checkPage, openPage, skipBrowserTests } from './support/browser.ts';
import { browserTimeouts } from './support/timeouts.ts';
import { type BrowserStack, startBrowserStack } from './support/stack.ts';

/**
 * Issue 8, acceptance 1, in Chromium with the server's own background jobs: a professional the
 * gestionnaire validates appears on the public search page (no sign-in) without anyone asking, his
 * public card shows his situation, and he leaves the search once his situation has ended. How soon
 * (the 2 s goal) is measured by `npm run bench -- publication`, not asserted here.
 */
describe.skipIf(skipBrowserTests)('public directory in Chromium', () => {
  let stack: BrowserStack;

  beforeAll(async () => {
    stack = await startBrowserStack({ background: true });
  }, browserTimeouts.stackMs);
  afterAll(async () => stack?.close());

  /** The live count above the results ("Recherche en cours…", then "1 professionnel"…). */
  const resultCount = (page: Page) => page.locator('section[aria-labelledby="directory-results-title"] p[role="status"]');

  /** Reloads `url` until `found` holds (the publication job runs beside the page). */
  async function pollPage(page: Page, url: string, found: (main: string) => boolean): Promise<void> {
    await until(
      async () => {
        await page.goto(url);
        await resultCount(page).filter({ hasText: /professionnel/ }).waitFor();
        return found((await page.textContent('main')) ?? '') ? true : undefined;
      },
      { what: `${url} as expected`, intervalMs: 200 },
    );
  }

  it('shows a newly validated professional, his situation on his card, and drops him once it has ended', async () => {
    const register = createRegisterService({ db: stack.database.db, clock: systemClock, config: stack.database.config });
    const input = distinctRegistration(4711);
    const today = todayOf(systemClock);
    const { page, errors, close } = await openPage(stack.browser, stack.baseUrl);
    try {
      // The search page is open before the validation, as a visitor would have it.
      await page.goto('/annuaire');
      await page.getByRole('heading', { level: 1, name: 'Annuaire des professionnels à rôle' }).waitFor();

      const pro = await register.registerProfessional(actor, scope, { ...input, situation: { ...input.situation, startDate: today } });
      const searchUrl = `/annuaire?q=${pro.rpps}`;
      await pollPage(page, searchUrl, (main) => main.includes(`RPPS ${pro.rpps}`));
      expect(await resultCount(page).textContent()).toBe('1 professionnel');
      await checkPage(page, 'directory-search');

      // The card shows the published situation (what the public API says), nothing personal.
      const card = (await stack.app.inject({ method: 'GET', url: `/api/directory/practitioners/${pro.rpps}` })).json() as {
        situations: { professionLabel: string; egName: string }[];
      };
      expect(card.situations).toHaveLength(1);
      await page.locator(`main a[href$="/annuaire/${pro.rpps}"]`).click();
      await page.waitForURL(new RegExp(`/annuaire/${pro.rpps}$`));
      await page.getByRole('heading', { level: 2, name: 'Situations d’exercice en cours' }).waitFor();
      const main = (await page.textContent('main')) ?? '';
      expect(main).toContain(card.situations[0]!.professionLabel);
      expect(main).toContain(card.situations[0]!.egName);
      expect(main).toContain(`identifiant national 8${pro.rpps}`);
      expect(main).not.toContain(input.etatCivil.birthDate);
      await checkPage(page, 'directory-card');

      await register.endSituation(actor, scope, pro.situationId, { endDate: today, reason: 'departure' });
      await pollPage(page, searchUrl, (text) => text.includes('Aucun professionnel ne correspond') && !text.includes(`RPPS ${pro.rpps}`));
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('pages the results by cursor: « Résultats suivants » shows the next ones, « Premiers résultats » comes back (axe clean)', async () => {
    // 23 published professionals whose name starts with "Paginé": three pages of 10.
    await sql`insert into directory_practitioner (id, rpps, family, given, family_search, given_search, name_search, active, last_updated)
      select 'pg' || g, lpad((30000000000 + g)::text, 11, '0'), 'PAGINE' || lpad(g::text, 2, '0'), 'Test', 'pagine' || lpad(g::text, 2, '0'),
             'test', 'pagine' || lpad(g::text, 2, '0') || ' test', true, now()
      from generate_series(1, 23) g`.execute(stack.database.db);
    const { page, errors, close } = await openPage(stack.browser, stack.baseUrl);
    try {
      const names = async () => (await page.locator('section[aria-labelledby="directory-results-title"] h3').allTextContents()).map((n) => n.trim());
      await page.goto('/annuaire?q=Pagin%C3%A9');
      await resultCount(page).filter({ hasText: '23 professionnels' }).waitFor();
      expect(await names()).toEqual(Array.from({ length: 10 }, (_, i) => `Test PAGINE${String(i + 1).padStart(2, '0')}`));
      const pagination = page.getByRole('navigation', { name: 'Pagination des résultats' });
      expect(await pagination.getByRole('link', { name: 'Premiers résultats' }).count()).toBe(0);
      await checkPage(page, 'directory-first-page');

      await pagination.getByRole('link', { name: 'Résultats suivants' }).click();
      await page.waitForURL(/suite=/);
      await page.getByText('Test PAGINE11').waitFor();
      expect(await names()).toEqual(Array.from({ length: 10 }, (_, i) => `Test PAGINE${String(i + 11).padStart(2, '0')}`));
      expect(await pagination.textContent()).toContain('Page 2');
      await pagination.getByRole('link', { name: 'Résultats suivants' }).click();
      await page.getByText('Test PAGINE21').waitFor();
      expect(await names()).toEqual(['Test PAGINE21', 'Test PAGINE22', 'Test PAGINE23']);
      expect(await pagination.getByRole('link', { name: 'Résultats suivants' }).count()).toBe(0);
      await checkPage(page, 'directory-keyset-pages');

      await pagination.getByRole('link', { name: 'Premiers résultats' }).click();
      await page.getByText('Test PAGINE01').waitFor();
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('says what to type on an empty search and reports an invalid FINESS at its field; breadcrumbs lead home (axe clean)', async () => {
    const { page, errors, close } = await openPage(stack.browser, stack.baseUrl);
    try {
      await page.goto('/annuaire');
      const breadcrumb = page.getByRole('navigation', { name: /vous êtes ici/i });
      await breadcrumb.getByRole('link', { name: 'Accueil' }).waitFor();
      await expect.poll(() => resultCount(page).textContent(), { timeout: browserTimeouts.actionMs }).toMatch(/nom d’exercice ou un numéro RPPS/);
      const search = page.getByRole('search');
      await search.getByRole('button', { name: 'Rechercher' }).click();
      const query = page.getByRole('searchbox', { name: /Nom d’exercice ou numéro RPPS/ });
      await expect.poll(() => query.getAttribute('aria-invalid'), { timeout: browserTimeouts.actionMs }).toBe('true');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('name'))).toBe('q');
      expect(await search.textContent()).toContain('numéro RPPS à 11 chiffres');

      const finess = page.getByRole('textbox', { name: /Numéro FINESS de l’établissement/ });
      await finess.fill('69-0800');
      await search.getByRole('button', { name: 'Rechercher' }).click();
      await expect.poll(() => finess.getAttribute('aria-invalid'), { timeout: browserTimeouts.actionMs }).toBe('true');
      expect(await query.getAttribute('aria-invalid')).not.toBe('true');
      const described = (await finess.getAttribute('aria-describedby')) ?? '';
      const messages = await Promise.all(described.split(' ').filter(Boolean).map((id) => page.locator(`[id="${id}"]`).textContent()));
      expect(messages.join(' ')).toContain('Le numéro FINESS compte 9 caractères');
      expect(page.url()).not.toContain('structure=');
      await checkPage(page, 'directory-invalid-finess');

      // The same message when the FINESS comes from the address, and no request is sent.
      await page.goto('/annuaire?structure=12');
      await expect.poll(() => finess.getAttribute('aria-invalid'), { timeout: browserTimeouts.actionMs }).toBe('true');

      await page.goto('/annuaire/inconnu');
      await page.getByRole('heading', { level: 1, name: 'Professionnel introuvable' }).waitFor();
      await breadcrumb.getByRole('link', { name: 'Annuaire des professionnels à rôle' }).click();
      await page.getByRole('heading', { level: 1, name: 'Annuaire des professionnels à rôle' }).waitFor();
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('offers the latest extraction file for download (DSFR download link, axe clean)', async () => {
    const generated = await createDirectoryExtraction({ db: stack.database.db, clock: systemClock, keep: 7 }).generate('full');
    if (generated.status === 'running') throw new Error('an extraction was already running');
    const { page, errors, close } = await openPage(stack.browser, stack.baseUrl);
    try {
      await page.goto('/annuaire');
      const link = page.locator('.fr-download a', { hasText: 'Extraction complète de l’annuaire' });
      await link.waitFor();
      expect(await link.getAttribute('href')).toBe(`/api/directory/extractions/${generated.extraction.id}`);
      expect(await page.locator('.fr-download').first().textContent()).toMatch(/ZIP – .* – \d+ lignes – produit le/);
      const res = await page.request.get(`${stack.baseUrl}/api/directory/extractions/${generated.extraction.id}`);
      expect(res.status()).toBe(200);
      expect(res.headers()['content-type']).toBe('application/zip');
      await checkPage(page, 'directory-downloads');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});
