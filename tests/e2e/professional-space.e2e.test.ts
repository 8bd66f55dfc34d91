import { describe, expect, it } from 'vitest';
import { todayOf } from '../../src/server/calendar.ts';
import { systemClock } from '../../src/server/context.ts';
import { seedDemoIdentities } from '../../src/server/modules/register/demo-identities.ts';
import { checkPage, openPage, skipBrowserTests } from './support/browser.ts';
import { demoSeedDeps, useBrowserStack } from './support/stack.ts';

/** Issue 17, point 5: the professional's space holds together (FranceConnect, then e-CPS). */
describe.skipIf(skipBrowserTests)('the professional’s space, in Chromium', () => {
  const stack = useBrowserStack({}, (s) => seedDemoIdentities(demoSeedDeps(s)));

  it('FranceConnect: after sending, next steps and a summary; withdrawing asks first and keeps the contact data', async () => {
    const { page, errors, close } = await openPage(stack.browser, stack.baseUrl);
    try {
      await page.goto('/pre-enregistrement');
      await page.getByRole('link', { name: /FranceConnect/ }).first().click();
      await page.waitForURL(/\/dev-idp\/franceconnect\/interaction\//);
      await page.getByRole('button', { name: /Marie-Noëlle Céline D’ORNANO/ }).click();
      await page.waitForURL(/\/pre-enregistrement$/);
      await page.getByRole('button', { name: 'Commencer une demande' }).click();
      await page.locator('input[name=email]').fill('mn.dornano@exemple.fr');
      await page.locator('input[name=mobile]').fill('06 11 22 33 44');
      await page.locator('input[name=egSearch]').fill('690800206');
      await page.locator('select[name=egFiness] option[value="690800206"]').waitFor({ state: 'attached' });
      await page.locator('select[name=egFiness]').selectOption('690800206');
      await page.locator('select[name=professionCode] option[value="313"]').waitFor({ state: 'attached' });
      await page.locator('select[name=professionCode]').selectOption('313');
      await page.locator('select[name=roleCode]').selectOption('GENR11');
      await page.locator('input[name=startDate]').fill(todayOf(systemClock));
      await page.locator('input[name=termsAccepted]').check({ force: true });
      await page.getByRole('button', { name: 'Envoyer la demande' }).click();
      const summary = page.getByTestId('pending-summary');
      await summary.waitFor();
      const text = (await summary.textContent())!;
      expect(text).toContain('pièce d’identité');
      expect(text).toContain('EHPAD LES TILLEULS');
      expect(text).toContain('mn.dornano@exemple.fr');
      await checkPage(page, 'professional-request-sent');

      await page.getByRole('button', { name: 'Retirer ma demande' }).click();
      await page.locator('dialog[open]').getByText(/ne peut pas être renvoyée/).waitFor();
      // checkPage waits for the modal to finish opening (focus inside, fade-in over).
      await checkPage(page, 'professional-withdraw-confirm');
      await page.locator('dialog[open]').getByRole('button', { name: 'Retirer ma demande' }).click();
      await page.getByText('Votre demande a été retirée.').waitFor();
      await page.getByRole('button', { name: 'Commencer une demande' }).click();
      await page.locator('input[name=email]').waitFor();
      expect(await page.locator('input[name=email]').inputValue()).toBe('mn.dornano@exemple.fr');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, 120_000);

  it('e-CPS: D’ALMEIDA-KÉRÉBEL finds her record; "Mon dossier RPPS", "Mes accès", "Activer mon e-CPS" in the menu and on "Mon espace"', async () => {
    const { page, errors, close } = await openPage(stack.browser, stack.baseUrl);
    try {
      await page.goto('/connexion');
      await page.getByRole('link', { name: 'Se connecter avec Pro Santé Connect' }).click();
      await page.waitForURL(/\/dev-idp\/psc\/interaction\//);
      await page.getByRole('button', { name: /Marie-Ève Françoise D’ALMEIDA-KÉRÉBEL/ }).click();
      await page.waitForURL(/\/mon-espace$/);
      const main = page.locator('main');
      for (const name of ['Mon dossier RPPS', 'Mes accès', 'Activer mon e-CPS']) {
        await main.getByRole('link', { name }).waitFor();
        expect(await page.locator('#fr-header-main-navigation').getByRole('link', { name, includeHidden: true }).count()).toBeGreaterThan(0);
      }
      await checkPage(page, 'professional-my-space');
      await main.getByRole('link', { name: 'Mon dossier RPPS' }).click();
      await page.getByText('10003333449').first().waitFor();
      await checkPage(page, 'professional-my-record');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, 90_000);
});
