import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { axeViolations, openPage, screenshot, skipBrowserTests } from './support/browser.ts';
import { useBrowserStack } from './support/stack.ts';

/**
 * Issue 17, blockers 2 and 3: a signed-out person on a protected page is sent to sign in and
 * brought back; what was typed in the wizard survives the new sign-in; the header follows the
 * server; the gestionnaire's main button shows its whole label at 1280 and 375 px.
 */
describe.skipIf(skipBrowserTests)('expired or missing sessions, in Chromium', () => {
  const stack = useBrowserStack();

  async function pscChoose(page: Page, who: RegExp) {
    await page.getByRole('link', { name: 'Se connecter avec Pro Santé Connect' }).click();
    await page.waitForURL(/\/dev-idp\/psc\/interaction\//);
    await page.getByRole('button', { name: who }).click();
  }

  it('signed out on the wizard: sign-in, back to the wizard, the typed identity kept after the session ended', async () => {
    const { page, errors, close } = await openPage(stack.browser, stack.baseUrl);
    try {
      await page.goto('/professionnels/enregistrer');
      await page.waitForURL((u) => u.pathname === '/connexion' && u.searchParams.get('retour') === '/professionnels/enregistrer');
      await page.getByText('Vous n’êtes pas connecté').waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'session-sign-in-required');
      await pscChoose(page, /Patrick O’CONNOR/);
      await page.waitForURL((u) => u.pathname === '/professionnels/enregistrer');
      await page.getByRole('heading', { level: 1, name: 'Enregistrer un professionnel' }).waitFor();

      await page.locator('input[name=birthName]').fill('Vasseur');
      await page.locator('input[name=firstName0]').fill('Lucie');
      // The session ends (idle time, signed out elsewhere): the next save is refused.
      await page.context().clearCookies();
      await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();
      await page.waitForURL((u) => u.pathname === '/connexion');
      await page.locator('header').getByRole('link', { name: 'Se connecter' }).first().waitFor();
      expect(await page.textContent('header')).not.toContain('O’CONNOR');
      await pscChoose(page, /Patrick O’CONNOR/);
      await page.waitForURL((u) => u.pathname === '/professionnels/enregistrer');
      await page.locator('input[name=birthName]').waitFor();
      expect(await page.locator('input[name=birthName]').inputValue()).toBe('Vasseur');
      expect(await page.locator('input[name=firstName0]').inputValue()).toBe('Lucie');
      expect(errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
    } finally {
      await close();
    }
  }, 90_000);

  for (const viewport of [
    { width: 1280, height: 900 },
    { width: 375, height: 800 },
  ]) {
    it(`"Enregistrer un professionnel" shows its whole label at ${viewport.width} px`, async () => {
      const { page, errors, close } = await openPage(stack.browser, stack.baseUrl, { viewport });
      try {
        await page.goto('/professionnels');
        await pscChoose(page, /Patrick O’CONNOR/);
        await page.waitForURL((u) => u.pathname === '/professionnels');
        const button = page.locator('main').getByRole('link', { name: 'Enregistrer un professionnel' });
        await button.waitFor();
        const box = (await button.boundingBox())!;
        const fits = await button.evaluate((el) => el.scrollWidth <= el.clientWidth + 1);
        expect(box.width).toBeGreaterThan(150);
        expect(fits).toBe(true);
        await screenshot(page, `professionals-${viewport.width}`);
        expect(await axeViolations(page)).toEqual([]);
        expect(errors).toEqual([]);
      } finally {
        await close();
      }
    }, 60_000);
  }
});
