import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPage, openPage, skipBrowserTests } from './support/browser.ts';
import { browserTimeouts } from './support/timeouts.ts';
import { type BrowserStack, startBrowserStack } from './support/stack.ts';

/**
 * Issue 17, directory: an establishment page says whether the structure has joined RPPS+;
 * anyone sees how to join; a person signed in with Pro Santé Connect asks through the contract
 * request, pre-filled with the structure; its RL, once joined, reaches its habilitations.
 */
describe.skipIf(skipBrowserTests)('joining RPPS+ from an establishment page, in Chromium', () => {
  let stack: BrowserStack;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    stack = await startBrowserStack();
    ({ browser, baseUrl } = stack);
  }, browserTimeouts.stackMs);
  afterAll(async () => stack?.close());

  it('anonymous: joined or not, and how to join; signed in with PSC, the request starts with the structure chosen', async () => {
    const { page, errors, close } = await openPage(browser, baseUrl);
    try {
      // EHPAD LES TILLEULS: joined through its EJ's contract; no request offered.
      await page.goto('/etablissements/690800206');
      const membership = page.getByTestId('membership');
      await membership.getByText('Adhérent RPPS+').waitFor();
      expect(await membership.textContent()).toContain('par le contrat de son entité juridique');
      expect(await membership.getByRole('link').count()).toBe(0);
      await checkPage(page, 'establishment-joined');

      // ASSOCIATION LES JONQUILLES: not joined; how to join, and sign-in to ask.
      await page.goto('/etablissements/010007987');
      await membership.getByText('Non adhérent').waitFor();
      expect(await membership.textContent()).toContain('Pro Santé Connect');
      // Its establishments say it too, one by one.
      expect(await page.getByRole('columnheader', { name: 'RPPS+' }).count()).toBe(1);
      await checkPage(page, 'establishment-not-joined');
      await membership.getByRole('link', { name: 'Se connecter pour demander l’adhésion' }).click();
      await page.waitForURL((u) => u.pathname === '/connexion');
      await page.getByRole('link', { name: 'Se connecter avec Pro Santé Connect' }).click();
      await page.waitForURL(/\/dev-idp\/psc\/interaction\//);
      await page.getByRole('button', { name: /Öztürk Emre ÇELIK/ }).click();
      await page.waitForURL((u) => u.pathname === '/adhesion' && u.searchParams.get('finess') === '010007987');
      await page.getByText('Structure trouvée : ASSOCIATION LES JONQUILLES').waitFor();
      expect(await page.getByLabel(/FINESS/).first().inputValue()).toBe('010007987');
      await checkPage(page, 'establishment-request-prefilled');

      // Signed in, the page offers the request directly.
      await page.goto('/etablissements/010007987');
      await membership.getByRole('link', { name: 'Demander l’adhésion' }).click();
      await page.waitForURL((u) => u.pathname === '/adhesion' && u.searchParams.get('finess') === '010007987');
      await page.getByText('Structure trouvée : ASSOCIATION LES JONQUILLES').waitFor();
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, browserTimeouts.testMs);

  it('the RL of a joined structure reaches its habilitations from its page; a pending request is said', async () => {
    const { page, errors, close } = await openPage(browser, baseUrl);
    try {
      await page.goto(`/auth/psc/login?retour=${encodeURIComponent('/etablissements/690800123')}`);
      await page.waitForURL(/\/dev-idp\/psc\/interaction\//);
      await page.getByRole('button', { name: /Jean-Marc DE LA FONTAINE-SAINT-ÉLOI/ }).click();
      const membership = page.getByTestId('membership');
      await membership.getByText('Adhérent RPPS+').waitFor();
      await checkPage(page, 'establishment-rl');
      await membership.getByRole('link', { name: 'Gérer les habilitations' }).click();
      await page.waitForURL((u) => u.pathname === '/habilitations/690800123');

      // OCÉANE SOLIDARITÉ: its request waits for the ANS; no second request.
      await page.goto('/etablissements/330050311');
      await membership.getByText('Adhésion en cours').waitFor();
      expect(await membership.getByRole('link').count()).toBe(0);
      await checkPage(page, 'establishment-pending');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, browserTimeouts.testMs);
});
