import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { upsertAccount } from '../../src/server/auth/accounts.ts';
import { systemClock } from '../../src/server/context.ts';
import { pscSubject } from '../../src/server/dev-idp/identities.ts';
import { demo } from '../../src/server/modules/onboarding/testing.ts';
import { seedPendingRequests } from '../../src/server/modules/dashboard/testing.ts';
import { seedDemoIdentities } from '../../src/server/modules/register/demo-identities.ts';
import { etatCivil } from '../../src/server/modules/register/testing.ts';
import { axeViolations, openPage, screenshot, skipBrowserTests, type WatchedPage } from './support/browser.ts';
import { mainNavigation } from './support/navigation.ts';
import { type BrowserStack, startBrowserStack } from './support/stack.ts';
import { browserTimeouts } from './support/timeouts.ts';

/**
 * Issue 17: the grouped menu, per role — at most 6 top entries, the public pages apart from the
 * work pages in DSFR sub-menus; every sub-menu link leads to its page, which the menu marks
 * (aria-current); axe-clean with a sub-menu open at 1280 px and in the burger menu at 375 px.
 * Then "Mon espace" as a task list, and a very long name that must not widen the page.
 */
/** Polls wait on a condition, sized for a busy machine (support/timeouts.ts). */
const poll = { timeout: browserTimeouts.actionMs };
const longName = { givenName: 'Marie-Bénédicte-Anne-Sophie', familyName: 'de La Rochefoucauld-Montmorency-Kérébel' };

describe.skipIf(skipBrowserTests)('the menu and "Mon espace" per role, in Chromium', () => {
  let stack: BrowserStack;

  beforeAll(async () => {
    stack = await startBrowserStack();
    await seedDemoIdentities({ db: stack.database.db, clock: systemClock, config: stack.database.config, jobs: { enqueue: async () => null } as never });
  }, browserTimeouts.stackMs);
  afterAll(() => stack?.close());

  /** A page signed in as `idnps` (a session opened in the store; the sign-in walk is tested elsewhere). */
  async function pageAs(idnps: string | null, options: { width?: number; name?: { givenName: string; familyName: string } } = {}): Promise<WatchedPage & { headers: Record<string, string> }> {
    const watched = await openPage(stack.browser, stack.baseUrl, { viewport: { width: options.width ?? 1280, height: 900 } });
    let headers: Record<string, string> = {};
    if (idnps) {
      const { app, database } = stack;
      const name = options.name ?? { givenName: 'Test', familyName: 'PERSONNE' };
      const account = await upsertAccount(database.db, { provider: 'psc', subject: pscSubject(idnps), idnps, ...name }, systemClock.now());
      const session = await app.auth.sessions.create({ accountId: account.id, provider: 'psc', idToken: null, identity: {} });
      await watched.page.context().addCookies([
        { name: app.auth.cookies.session, value: session.token, url: stack.baseUrl },
        { name: app.auth.cookies.csrf, value: session.csrfToken, url: stack.baseUrl },
      ]);
      headers = { cookie: `${app.auth.cookies.session}=${session.token}`, 'x-csrf-token': session.csrfToken };
    }
    return { ...watched, headers };
  }

  const topItems = (page: Page) => mainNavigation(page).locator(':scope > ul > li.fr-nav__item');
  const noHorizontalOverflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

  /**
   * Every top entry and every sub-menu link of the menu: opened as a person does (the sub-menu's
   * button first), it leads to its page, and the menu marks that page as the current one.
   */
  async function walkMenu(page: Page, expectedTop: string[]) {
    const items = topItems(page);
    // The menu follows the session, read once the page has loaded.
    await items.filter({ hasText: expectedTop.at(-1)! }).first().waitFor();
    await expect.poll(() => items.count(), poll).toBe(expectedTop.length);
    expect(expectedTop.length).toBeLessThanOrEqual(6);
    expect((await items.allInnerTexts()).map((s) => s.replace(/\s+/g, ' ').trim())).toEqual(expectedTop);
    for (let i = 0; i < expectedTop.length; i++) {
      const item = items.nth(i);
      const button = item.locator(':scope > button.fr-nav__btn');
      if ((await button.count()) === 0) {
        const link = item.locator(':scope > a');
        const href = (await link.getAttribute('href'))!;
        await link.click();
        await page.waitForURL((u) => u.pathname === href);
        await expect.poll(() => item.locator(':scope > a').getAttribute('aria-current'), poll).toBe('page');
        continue;
      }
      const links = item.locator('.fr-menu a');
      const count = await links.count();
      expect(count, `sub-menu ${expectedTop[i]}`).toBeGreaterThan(0);
      for (let j = 0; j < count; j++) {
        if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
        await expect.poll(() => button.getAttribute('aria-expanded'), poll).toBe('true');
        const link = links.nth(j);
        await link.waitFor({ state: 'visible' });
        const href = (await link.getAttribute('href'))!;
        await link.click();
        await page.waitForURL((u) => u.pathname === href.split('?')[0]);
        await page.locator('main h1').first().waitFor();
        await expect.poll(() => links.nth(j).getAttribute('aria-current'), { message: `${href} marked current`, ...poll }).toBe('page');
        expect(await button.getAttribute('aria-current')).toBe('true');
        // The sub-menu closes once its page opens (it would cover the page otherwise).
        await expect.poll(() => button.getAttribute('aria-expanded'), poll).toBe('false');
      }
    }
  }

  /** axe with a sub-menu open at 1280 px, then in the burger menu at 375 px (sub-menu open too); no horizontal scroll. */
  async function checkAccessibility(watched: WatchedPage, name: string, path: string) {
    const { page } = watched;
    await page.goto(path);
    await topItems(page).first().waitFor();
    const firstMenu = mainNavigation(page).locator('button.fr-nav__btn').first();
    if ((await firstMenu.count()) > 0) {
      await firstMenu.click();
      await expect.poll(() => firstMenu.getAttribute('aria-expanded'), poll).toBe('true');
    }
    expect(await axeViolations(page), `${name} at 1280 with a sub-menu open`).toEqual([]);
    expect(await noHorizontalOverflow(page)).toBe(true);
    await screenshot(page, `menu-${name}-1280`);

    await page.setViewportSize({ width: 375, height: 800 });
    await page.goto(path);
    await page.locator('main h1').first().waitFor();
    expect(await noHorizontalOverflow(page), `${name} at 375`).toBe(true);
    await screenshot(page, `menu-${name}-375-page`);
    const burger = page.locator('#fr-header').getByRole('button', { name: 'Menu' });
    await burger.click();
    const modal = page.locator('#fr-header .fr-header__menu.fr-modal');
    await expect.poll(() => modal.evaluate((el) => el.classList.contains('fr-modal--opened')), poll).toBe(true);
    const mobileMenu = mainNavigation(page).locator('button.fr-nav__btn').first();
    if ((await mobileMenu.count()) > 0) {
      await mobileMenu.click();
      await expect.poll(() => mobileMenu.getAttribute('aria-expanded'), poll).toBe('true');
    }
    expect(await axeViolations(page), `${name} at 375 with the burger menu open`).toEqual([]);
    await screenshot(page, `menu-${name}-375`);
    // A link of the burger menu leads to its page and closes the menu.
    const link = mainNavigation(page).locator('a:visible').last();
    const href = (await link.getAttribute('href'))!;
    await link.click();
    await page.waitForURL((u) => u.pathname === href);
    await expect.poll(() => modal.evaluate((el) => el.classList.contains('fr-modal--opened')), poll).toBe(false);
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  const roles = [
    { name: 'anonymous', idnps: null, start: '/', top: ['Accueil', 'Rechercher un établissement', 'Annuaire des professionnels', 'Droits d’accès au DMP', 'Je me pré-enregistre'] },
    { name: 'professional', idnps: demo.idnps.professional, start: '/mon-espace', top: ['Mon espace', 'Mon dossier RPPS', 'Mes accès', 'Activer mon e-CPS', 'Informations publiques'] },
    { name: 'gestionnaire', idnps: demo.idnps.gestionnaireEj, start: '/mon-espace', top: ['Mon espace', 'Demandes à traiter', 'Professionnels', 'Ma structure', 'Informations publiques'] },
    { name: 'rl', idnps: demo.idnps.rl, start: '/mon-espace', top: ['Mon espace', 'Demandes à traiter', 'Professionnels', 'Ma structure', 'Informations publiques'] },
    { name: 'operator', idnps: demo.idnps.operator, start: '/mon-espace', top: ['Mon espace', 'Back-office', 'Professionnels', 'Pilotage', 'Informations publiques'] },
  ] as const;

  for (const role of roles) {
    it(`${role.name}: at most 6 top entries, each sub-menu link leads to its page; axe-clean menu at 1280 and 375 px`, async () => {
      const watched = await pageAs(role.idnps);
      try {
        await watched.page.goto(role.start);
        await walkMenu(watched.page, [...role.top]);
        await checkAccessibility(watched, role.name, role.start);
        expect(watched.errors).toEqual([]);
      } finally {
        await watched.close();
      }
    }, browserTimeouts.testMs * 2);
  }

  it('"Mon espace" of a gestionnaire: counts and links as tiles, a draft resumed then deleted after confirmation', async () => {
    const watched = await pageAs(demo.idnps.gestionnaireEj);
    const { page } = watched;
    try {
      await seedPendingRequests(stack.database.db, systemClock, [{ egFiness: demo.eg1, daysAgo: 1 }, { egFiness: demo.eg2, daysAgo: 4 }], 800);
      const created = await stack.app.inject({ method: 'POST', url: '/api/register/drafts', headers: watched.headers, payload: {} });
      expect(created.statusCode, created.body).toBe(201);
      const draftId: string = created.json().id;
      const ec = etatCivil({ birthName: 'BROUILLON', firstNames: ['Léonie'] });
      expect((await stack.app.inject({ method: 'PUT', url: `/api/register/drafts/${draftId}/etat-civil`, headers: watched.headers, payload: ec })).statusCode).toBe(200);

      await page.goto('/mon-espace');
      const requests = page.getByTestId('task-requests');
      await requests.waitFor();
      expect(Number(await requests.getByTestId('task-count').textContent())).toBeGreaterThanOrEqual(2);
      expect(await requests.getByRole('link', { name: 'Demandes à traiter' }).getAttribute('href')).toBe('/demandes-a-traiter');
      expect(await page.getByTestId('task-professionals').getByRole('link', { name: 'Mes professionnels' }).getAttribute('href')).toBe('/professionnels');
      const drafts = page.getByTestId('my-drafts');
      await drafts.getByText('Léonie BROUILLON', { exact: true }).waitFor();
      // His role names its structure, not only its FINESS number (issue 17).
      const roles = page.locator('section[aria-labelledby=roles-title]');
      await roles.getByText(/\S \(FINESS 690800123\)/).waitFor();
      expect(await roles.textContent()).not.toMatch(/juridique FINESS/);
      for (const width of [1280, 375]) {
        await page.setViewportSize({ width, height: 900 });
        expect(await axeViolations(page), `Mon espace at ${width}`).toEqual([]);
        expect(await noHorizontalOverflow(page)).toBe(true);
        await screenshot(page, `my-space-gestionnaire-${width}`);
      }
      await page.setViewportSize({ width: 1280, height: 900 });

      // Resume: the wizard opens on that draft.
      await drafts.getByRole('link', { name: /Reprendre — Léonie BROUILLON/ }).click();
      await page.waitForURL((u) => u.pathname === '/professionnels/enregistrer' && u.searchParams.get('brouillon') === draftId);
      await page.goBack();
      // Delete: a confirmation first, then the result has the focus.
      await drafts.getByRole('button', { name: /Supprimer — Léonie BROUILLON/ }).click();
      const dialog = page.getByRole('dialog', { name: 'Supprimer cet enregistrement en cours ?' });
      await dialog.waitFor();
      await dialog.getByRole('button', { name: 'Supprimer' }).click();
      await page.getByText('L’enregistrement en cours a été supprimé.').waitFor();
      await expect.poll(() => page.getByText('Léonie BROUILLON', { exact: true }).count(), poll).toBe(0);
      expect((await stack.app.inject({ method: 'GET', url: `/api/register/drafts/${draftId}`, headers: watched.headers })).statusCode).toBe(404);
      expect(watched.errors).toEqual([]);
    } finally {
      await watched.close();
    }
  }, browserTimeouts.testMs);

  it('a very long name: no overflow and no overlap with the "République française" block, at 1280 and 375 px', async () => {
    const watched = await pageAs(demo.idnps.rl, { name: longName });
    const { page } = watched;
    const full = `${longName.givenName} ${longName.familyName}`;
    try {
      for (const width of [1280, 375]) {
        await page.setViewportSize({ width, height: 900 });
        await page.goto('/mon-espace');
        await page.getByTestId('my-space-name').waitFor();
        expect(await page.getByTestId('my-space-name').textContent()).toBe(full);
        await page.getByTestId('my-space-tasks').locator('section').first().waitFor();
        expect(await noHorizontalOverflow(page), `no horizontal scroll at ${width}`).toBe(true);
        // The header's person link: the whole name for screen readers, cut by an ellipsis on screen.
        const person = page.locator('#fr-header .fr-header__tools-links a.rpps-person').first();
        expect(await person.getAttribute('title')).toContain(full);
        if (width === 1280) {
          const [brand, link] = await Promise.all([page.locator('#fr-header .fr-header__brand').boundingBox(), person.boundingBox()]);
          expect(brand && link && link.x >= brand.x + brand.width, 'the person link stays right of the brand block').toBe(true);
          const right = await person.evaluate((el) => el.getBoundingClientRect().right);
          expect(right).toBeLessThanOrEqual(1280);
          // "République française" is shown whole (a squeezed brand block cuts it).
          const logo = page.locator('#fr-header .fr-header__logo .fr-logo');
          expect(await logo.evaluate((el) => el.scrollWidth <= el.clientWidth + 1 && el.getBoundingClientRect().width >= 80)).toBe(true);
          // On screen the name is cut with an ellipsis, not spread over the header.
          expect(await person.evaluate((el) => el.getBoundingClientRect().width)).toBeLessThanOrEqual(16 * 16 + 1);
        }
        expect(await axeViolations(page), `long name at ${width}`).toEqual([]);
        await screenshot(page, `long-name-${width}`);
        if (width === 375) {
          await page.locator('#fr-header').getByRole('button', { name: 'Menu' }).click();
          await page.locator('#fr-header .fr-header__menu.fr-modal.fr-modal--opened').waitFor();
          expect(await noHorizontalOverflow(page)).toBe(true);
          const inModal = await page.locator('#fr-header .fr-header__menu .fr-btns-group a.rpps-person').evaluate((el) => el.getBoundingClientRect().right);
          expect(inModal).toBeLessThanOrEqual(375);
          await screenshot(page, 'long-name-375-menu');
        }
      }
      expect(watched.errors).toEqual([]);
    } finally {
      await watched.close();
    }
  }, browserTimeouts.testMs);
});
