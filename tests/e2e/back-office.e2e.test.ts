import { describe, expect, it } from 'vitest';
import { axeViolations, openPage, screenshot, skipBrowserTests } from './support/browser.ts';
import { useBrowserStack } from './support/stack.ts';
import { browserTimeouts } from './support/timeouts.ts';

/**
 * The back-office lists of the ANS (structures without gestionnaire, support requests): shown to
 * an operator with their empty state, refused to anyone else — with axe.
 */
describe.skipIf(skipBrowserTests)('back-office lists, in Chromium', () => {
  const stack = useBrowserStack();

  async function signedIn(who: RegExp, retour: string) {
    const watched = await openPage(stack.browser, stack.baseUrl);
    await watched.page.goto(`/auth/psc/login?retour=${encodeURIComponent(retour)}`);
    await watched.page.waitForURL(/\/dev-idp\/psc\/interaction\//);
    await watched.page.getByRole('button', { name: who }).click();
    await watched.page.waitForURL((u) => u.pathname === retour);
    return watched;
  }

  it('an operator sees the lists (empty at first); a legal representative is refused', async () => {
    const operator = await signedIn(/Loïc BÉRANGER/, '/back-office/structures-sans-gestionnaire');
    try {
      const { page } = operator;
      await page.getByRole('heading', { level: 1, name: 'Structures sans gestionnaire' }).waitFor();
      await page.getByText('Aucune structure sans gestionnaire.').waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'back-office-orphans');
      await page.goto('/back-office/assistance');
      await page.getByRole('heading', { level: 1, name: 'Demandes d’assistance' }).waitFor();
      await page.getByText('Aucune demande.').waitFor();
      expect(await axeViolations(page)).toEqual([]);
      expect(operator.errors).toEqual([]);
    } finally {
      await operator.close();
    }

    const rl = await signedIn(/Jean-Marc DE LA FONTAINE-SAINT-ÉLOI/, '/back-office/structures-sans-gestionnaire');
    try {
      await rl.page.getByText('Cette page est réservée aux opérateurs de l’ANS.').waitFor();
      await rl.page.goto('/back-office/assistance');
      await rl.page.getByText('Cette page est réservée aux opérateurs de l’ANS.').waitFor();
      expect(await axeViolations(rl.page)).toEqual([]);
      expect(rl.errors).toEqual([]);
    } finally {
      await rl.close();
    }
  }, browserTimeouts.testMs);
});
