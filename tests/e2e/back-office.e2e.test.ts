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

  it('an answer sent is dated by the server, not by the browser clock', async () => {
    const filed = await stack.app.inject({
      method: 'POST',
      url: '/api/support/requests',
      payload: { audience: 'gestionnaire', topic: 'enregistrement', name: 'Claire Martin', email: 'claire.back-office@exemple.fr', subject: 'Numéro RPPS non reçu', message: 'Le professionnel enregistré hier n’a pas reçu son numéro RPPS.' },
    });
    expect(filed.statusCode, filed.body).toBe(201);
    const { reference } = filed.json() as { reference: string };
    const operator = await signedIn(/Loïc BÉRANGER/, '/back-office/assistance');
    try {
      const { page } = operator;
      // The browser's clock three years ahead: the message must show the server's time.
      const serverYear = new Date().getFullYear();
      await page.clock.setFixedTime(new Date(Date.now() + 3 * 366 * 86_400_000));
      const request = page.getByRole('region', { name: new RegExp(reference) });
      await request.getByLabel('Votre réponse').fill('Le numéro a été renvoyé à l’adresse indiquée.');
      await request.getByRole('button', { name: 'Envoyer la réponse' }).click();
      const message = page.getByText(`${reference} : Réponse envoyée le`);
      await message.waitFor();
      const text = await message.innerText();
      expect(text).toContain(`/${serverYear} `);
      expect(text).not.toContain(`/${serverYear + 3} `);
      expect(operator.errors).toEqual([]);
    } finally {
      await operator.close();
    }
  }, browserTimeouts.testMs);
});
