import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPage, openPage, releaseBrowser, skipBrowserTests, type WatchedPage, workerBrowser } from './support/browser.ts';
import { publicPages as pages } from './support/public-pages.ts';
import { browserTimeouts } from './support/timeouts.ts';
import { type RunningServer, startServer } from './support/server.ts';

describe.skipIf(skipBrowserTests)('web app in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;

  beforeAll(async () => {
    server = await startServer();
    browser = await workerBrowser();
  }, browserTimeouts.stackMs);

  afterAll(async () => {
    await releaseBrowser(browser);
    await server?.close();
  });

  async function withPage(run: (w: WatchedPage) => Promise<void>, options?: Parameters<typeof openPage>[2]) {
    const watched = await openPage(browser, server.baseUrl, options);
    try {
      await run(watched);
    } finally {
      await watched.close();
    }
  }

  it('serves the web app split by route and precompressed (issue 17)', async () => {
    const html = await (await fetch(`${server.baseUrl}/`)).text();
    const main = /src="(\/assets\/index-[^"]+\.js)"/.exec(html)?.[1];
    expect(main).toBeDefined();
    const response = await fetch(`${server.baseUrl}${main}`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(response.headers.get('content-encoding')).toBe('br');
    const size = Number((await fetch(`${server.baseUrl}${main}`, { headers: { 'accept-encoding': 'identity' } }).then((r) => r.arrayBuffer())).byteLength);
    expect(size).toBeLessThan(500_000);
  });

  it('the axe check reports what it must: a missing alternative text, too low a contrast, at both widths', async () => {
    await withPage(async ({ page }) => {
      await page.setContent('<html lang="fr"><head><title>Essai</title></head><body><main><h1>Essai</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><p style="color:#bbb;background:#fff">Texte trop pâle</p></main></body></html>');
      const found = await checkPage(page, 'axe-self-check').then(() => '', (err: Error) => err.message);
      for (const width of [1280, 375]) {
        expect(found).toMatch(new RegExp(`axe-self-check at ${width} px: image-alt \\(critical\\)`));
        expect(found).toMatch(new RegExp(`axe-self-check at ${width} px: color-contrast \\(serious\\)`));
      }
    });
  }, browserTimeouts.testMs);

  for (const p of pages) {
    it(`${p.name} (${p.path}) renders with DSFR, a title, no console error and no axe violation`, async () => {
      await withPage(async ({ page, errors }) => {
        await page.goto(p.path);
        const h1 = page.getByRole('heading', { level: 1 });
        await h1.waitFor();
        if ('results' in p) await page.locator('.fr-card').first().waitFor();
        else await page.waitForLoadState('networkidle');
        // Leave structure pages time to replace "Chargement…" with the data.
        await page.waitForFunction(() => !document.title.startsWith('Chargement'));

        expect(await h1.textContent()).toMatch(p.h1);
        expect(await page.title()).toMatch(p.title);
        // The DSFR stylesheet is loaded: the header has its layout, Marianne is the font.
        expect(await page.locator('header.fr-header').count()).toBe(1);
        expect(await page.locator('footer#fr-footer').count()).toBe(1);
        expect(await page.evaluate(() => getComputedStyle(document.body).fontFamily)).toContain('Marianne');
        // Every skip link leads somewhere.
        const anchors = await page.locator('.fr-skiplinks a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
        expect(anchors.length).toBeGreaterThan(0);
        for (const anchor of anchors) expect(await page.locator(anchor ?? '#missing').count(), anchor ?? '').toBe(1);

        await checkPage(page, p.name);
        expect(errors).toEqual([]);
      });
    }, browserTimeouts.testMs);
  }

  it('search: type a name, submit, see results, open one, go to its EJ', async () => {
    await withPage(async ({ page, errors }) => {
      await page.goto('/');
      await page.getByRole('link', { name: 'Rechercher un établissement' }).first().click();
      await page.waitForURL('**/etablissements');

      await page.getByLabel('Numéro FINESS ou nom de l’établissement').fill('ehpad tilleuls');
      await page.getByRole('button', { name: 'Rechercher' }).click();
      await page.waitForURL(/\/etablissements\?q=ehpad\+tilleuls$/);
      const status = page.locator('#search-status');
      await status.filter({ hasText: /trouvé/ }).waitFor();
      expect(await status.textContent()).toMatch(/^\d+ établissements? trouvés?/);

      const firstCard = page.locator('.fr-card').first();
      const cardTitle = (await firstCard.locator('.fr-card__title').textContent())?.trim() ?? '';
      expect(cardTitle).toMatch(/TILLEULS/);
      await checkPage(page, 'flow-search-results');

      await firstCard.locator('a').click();
      await page.waitForURL(/\/etablissements\/\w{9}$/);
      const h1 = page.getByRole('heading', { level: 1 });
      await h1.filter({ hasText: cardTitle }).waitFor();
      expect(await page.title()).toContain(cardTitle);
      // The URL keeps the query: back returns to the same results.
      await page.goBack();
      await page.waitForURL(/\?q=ehpad\+tilleuls$/);
      expect(await page.getByLabel('Numéro FINESS ou nom de l’établissement').inputValue()).toBe('ehpad tilleuls');
      await page.goForward();

      // EG → its EJ (a card), EJ → its EG list (a table with links).
      await page.getByRole('heading', { name: 'Entité juridique de rattachement' }).waitFor();
      await page.locator('section[aria-labelledby="ej-title"] .fr-card a').click();
      await page.getByRole('heading', { name: /établissements? rattachés?/ }).waitFor();
      expect(await page.locator('.fr-table tbody tr').count()).toBeGreaterThan(0);
      await checkPage(page, 'flow-structure-ej');
      expect(errors).toEqual([]);
    });
  }, browserTimeouts.testMs);

  it('search: results are paged with the DSFR pagination, the page is in the URL', async () => {
    await withPage(async ({ page, errors }) => {
      await page.goto('/etablissements?q=EHPAD');
      const status = page.locator('#search-status');
      await status.filter({ hasText: /page 1 sur \d+/ }).waitFor();
      const firstPageTitles = await page.locator('.fr-card__title').allTextContents();
      await page.getByRole('navigation', { name: 'Pagination' }).getByRole('link', { name: '2', exact: true }).click();
      await page.waitForURL(/\?q=EHPAD&page=2$/);
      await status.filter({ hasText: /page 2 sur \d+/ }).waitFor();
      const secondPageTitles = await page.locator('.fr-card__title').allTextContents();
      expect(secondPageTitles.length).toBeGreaterThan(0);
      expect(secondPageTitles.some((title) => firstPageTitles.includes(title))).toBe(false);
      expect(await page.title()).toMatch(/Recherche « EHPAD »/);
      await checkPage(page, 'search-page-2');
      expect(errors).toEqual([]);
    });
  }, browserTimeouts.testMs);

  for (const variant of [
    { name: 'dark', options: { colorScheme: 'dark' as const } },
    { name: 'mobile', options: { viewport: { width: 375, height: 800 } } },
  ]) {
    it(`home and search results in ${variant.name} display: no axe violation`, async () => {
      await withPage(async ({ page, errors }) => {
        for (const [name, path] of [
          ['home', '/'],
          ['search-results', '/etablissements?q=EHPAD'],
        ] as const) {
          await page.goto(path);
          await page.getByRole('heading', { level: 1 }).waitFor();
          if (name === 'search-results') await page.locator('.fr-card').first().waitFor();
          await checkPage(page, `${name}-${variant.name}`);
        }
        expect(errors).toEqual([]);
      }, variant.options);
    }, browserTimeouts.testMs);
  }

  it('search: a search without results says so', async () => {
    await withPage(async ({ page, errors }) => {
      await page.goto('/etablissements?q=zzzz%20introuvable');
      await page.getByText('Aucun établissement ne correspond à votre recherche').waitFor();
      expect(await page.locator('#search-status').textContent()).toBe('Aucun établissement trouvé');
      await checkPage(page, 'search-no-result');
      expect(errors).toEqual([]);
    });
  }, browserTimeouts.testMs);

  it('search: field errors of a problem+json answer are shown on the field', async () => {
    await withPage(async ({ page, errors }) => {
      await page.goto('/etablissements');
      await page.getByLabel('Département (facultatif)').fill('ZZ');
      await page.getByLabel('Numéro FINESS ou nom de l’établissement').fill('ehpad');
      await page.getByRole('button', { name: 'Rechercher' }).click();
      const message = page.locator('.fr-input-group--error .fr-message--error');
      await message.waitFor();
      expect(await message.textContent()).toMatch(/département/i);
      expect(await page.getByLabel('Département (facultatif)').getAttribute('aria-describedby')).toBeTruthy();
      await checkPage(page, 'search-field-error');
      // The browser itself logs the 400 answer; nothing else may be logged.
      expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
    });
  }, browserTimeouts.testMs);

  it('structure page: a malformed FINESS number shows the API explanation', async () => {
    await withPage(async ({ page, errors }) => {
      await page.goto('/etablissements/010007988');
      await page.getByRole('heading', { level: 1, name: 'Numéro FINESS non valide' }).waitFor();
      expect(await page.locator('.fr-alert--error').textContent()).toMatch(/clé/);
      expect(await page.title()).toBe('Numéro FINESS non valide — RPPS+');
      await checkPage(page, 'structure-invalid-finess');
      expect(errors.filter((e) => !/status of 400/.test(e))).toEqual([]);
    });
  }, browserTimeouts.testMs);
});
