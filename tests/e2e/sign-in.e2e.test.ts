import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axeViolations, openPage, screenshot, skipBrowserTests } from './support/browser.ts';
import { browserTimeouts } from './support/timeouts.ts';
import { type BrowserStack, startBrowserStack } from './support/stack.ts';

/** Issue 4, acceptance 1: sign in through both embedded providers in a real browser. */
describe.skipIf(skipBrowserTests)('sign-in in Chromium', () => {
  let stack: BrowserStack;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    stack = await startBrowserStack();
    ({ browser, baseUrl } = stack);
  }, browserTimeouts.stackMs);

  afterAll(async () => stack?.close());

  it('PSC: an RL signs in, reaches "Mon espace", signs out; the back button shows nothing protected', async () => {
    const { page, errors, close } = await openPage(browser, baseUrl);
    try {
      await page.goto('/connexion');
      await page.getByRole('heading', { level: 1, name: 'Se connecter à RPPS+' }).waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await page.getByRole('link', { name: 'Se connecter avec Pro Santé Connect' }).click();
      await page.waitForURL(/\/dev-idp\/psc\/interaction\//);
      await page.getByRole('button', { name: /Jean-Marc DE LA FONTAINE-SAINT-ÉLOI/ }).click();
      await page.waitForURL(/\/mon-espace$/);
      const identity = page.getByTestId('signed-in-identity');
      await identity.waitFor();
      expect(await identity.textContent()).toContain('DE LA FONTAINE-SAINT-ÉLOI');
      // The role names its structure as people know it (issue 17: never a bare FINESS number).
      await page.getByText('Représentant légal — entité juridique ASSOCIATION LES TILLEULS (FINESS 690800123)').waitFor();
      expect(await page.textContent('header')).toContain('Jean-Marc DE LA FONTAINE-SAINT-ÉLOI');
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'sign-in-psc-my-space');

      await page.locator('main').getByRole('button', { name: 'Se déconnecter' }).click();
      await page.waitForURL(/\/connexion\/deconnexion(\?|$)/);
      await page.getByRole('heading', { name: 'Vous êtes déconnecté' }).waitFor();

      // Back button: the browser returns to "Mon espace", which must not show the person again.
      // Signed out, a protected page sends to the sign-in page, which will bring him back (issue 17).
      await page.goBack({ waitUntil: 'load' });
      await page.waitForURL((u) => u.pathname === '/connexion' && u.searchParams.get('retour') === '/mon-espace');
      await page.getByText('Vous n’êtes pas connecté').waitFor();
      expect(await page.textContent('body')).not.toContain('DE LA FONTAINE-SAINT-ÉLOI');
      await page.goto('/mon-espace');
      await page.waitForURL((u) => u.pathname === '/connexion' && u.searchParams.get('retour') === '/mon-espace');
      await page.getByText('Vous n’êtes pas connecté').waitFor();
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('FranceConnect: a professional signs in with the DSFR button and sees his pivot identity', async () => {
    const { page, errors, close } = await openPage(browser, baseUrl);
    try {
      await page.goto('/connexion');
      await screenshot(page, 'sign-in-page');
      await page.locator('.fr-connect').click();
      await page.waitForURL(/\/dev-idp\/franceconnect\/interaction\//);
      await page.getByRole('button', { name: /Angela Claire Louise DUBOIS/ }).click();
      await page.waitForURL(/\/mon-espace$/);
      await page.getByTestId('signed-in-identity').waitFor();
      const main = await page.textContent('main');
      expect(main).toContain('Identifié avec FranceConnect');
      expect(main).toContain('Angela Claire Louise');
      expect(main).toContain('24/08/1962');
      await page.locator('header').getByRole('button', { name: 'Se déconnecter' }).first().click();
      await page.waitForURL(/\/connexion\/deconnexion(\?|$)/);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });

  it('a failed sign-in lands on the French error page', async () => {
    const { page, close } = await openPage(browser, baseUrl);
    try {
      await page.goto('/auth/psc/callback?code=forged&state=forged');
      await page.waitForURL(/\/connexion\/erreur\?raison=transaction-missing$/);
      await page.getByRole('heading', { name: 'La connexion n’a pas abouti' }).waitFor();
      expect(await page.textContent('main')).toContain('Aucune session n’a été ouverte.');
      expect(await axeViolations(page)).toEqual([]);
    } finally {
      await close();
    }
  });
});
