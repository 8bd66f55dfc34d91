import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayOf } from '../../src/server/calendar.ts';
import { systemClock } from '../../src/server/context.ts';
import { smsRecipient } from '../../src/server/modules/ecps/sms.ts';
import { createRegisterService } from '../../src/server/modules/register/service.ts';
import { actor, distinctRegistration, scope } from '../../src/server/modules/register/testing.ts';
import type { TestDatabase } from '../support/db.ts';
import { checkPage, openPage, screenshot, skipBrowserTests } from './support/browser.ts';
import { browserTimeouts } from './support/timeouts.ts';
import { type BrowserStack, startBrowserStack } from './support/stack.ts';

/**
 * Issue 9, acceptance 1: register → activate the e-CPS with the code from the outbox → sign in
 * through the embedded PSC with e-CPS → "Mes accès"; end the situation → sign-in refused in French.
 */
describe.skipIf(skipBrowserTests)('e-CPS in Chromium', () => {
  let stack: BrowserStack;
  let database: TestDatabase;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    stack = await startBrowserStack();
    ({ database, browser, baseUrl } = stack);
  }, browserTimeouts.stackMs);

  afterAll(async () => stack?.close());

  it('registers, activates with the SMS code, signs in with e-CPS, sees "Mes accès", then is refused once his situation ended', async () => {
    let idnps = '';
    let situationId = '';
    const today = todayOf(systemClock);
    const register = createRegisterService({ db: database.db, clock: systemClock, config: database.config });
    const input = distinctRegistration(4242);

    const { page, errors, close } = await openPage(browser, baseUrl);
    try {
      // The professional has the activation page open; the gestionnaire validates the registration.
      await page.goto('/e-cps/activation');
      await page.getByRole('heading', { level: 1, name: 'Activer mon e-CPS' }).waitFor();
      await checkPage(page, 'ecps-activation');
      const pro = await register.registerProfessional(actor, scope, { ...input, situation: { ...input.situation, startDate: today } });
      idnps = `8${pro.rpps}`;
      situationId = pro.situationId;
      const { mobile } = await database.db.selectFrom('person').select('mobile').where('rpps', '=', pro.rpps).executeTakeFirstOrThrow();
      await page.getByLabel(/Identifiant e-CPS/).fill(idnps);
      await page.getByRole('button', { name: 'Recevoir un code par SMS' }).click();
      await page.getByText(/un code vient d’être envoyé par SMS/).waitFor();
      // How soon after the validation: `npm run bench -- publication` (goal < 2 s p95).

      const sms = await database.db.selectFrom('mailMessage').select('text').where('to', '=', smsRecipient(mobile)).executeTakeFirstOrThrow();
      const code = /(\d{6})/.exec(sms.text)![1]!;
      await page.getByLabel(/Code reçu par SMS/).fill(code);
      await page.getByRole('button', { name: 'Activer', exact: true }).click();
      await page.getByText('Votre e-CPS est active.').waitFor();
      await checkPage(page, 'ecps-activated');

      await page.getByRole('link', { name: 'Se connecter avec Pro Santé Connect' }).click();
      await page.waitForURL(/\/dev-idp\/psc\/interaction\//);
      await page.getByLabel(/Identifiant e-CPS/).fill(idnps);
      await page.getByRole('button', { name: /Se connecter avec l’e-CPS/ }).click();
      await page.waitForURL(/\/mes-acces$/);
      await page.getByTestId('ecps-state').waitFor();
      expect(await page.getByTestId('ecps-state').textContent()).toBe('Active');
      const main = await page.textContent('main');
      expect(main).toContain(idnps);
      expect(main).toContain('Accompagnement social/médico-social au soin');
      expect(main).toContain('Vous pouvez ouvrir une boîte aux lettres MSSanté nominative.');
      // No nomenclature code reaches the person: no role code (GENR11), no document type code (LOINC 11488-4).
      expect(main).not.toMatch(/GENR\d{2}|\(\d{4,5}-\d\)/);
      // Seed 001: the DMP does not read these rights yet (DMP_ROLE_ACCESS_FROM unset: no date).
      expect(await page.getByTestId('dmp-opening').textContent()).toContain('Ces droits s’appliqueront lorsque le DMP les ouvrira aux professionnels à rôle ; la date n’est pas encore connue.');
      await checkPage(page, 'ecps-my-access');
      await page.goto('/droits-acces-dmp');
      await page.getByTestId('dmp-opening').waitFor();
      expect(await page.getByTestId('dmp-opening').textContent()).toContain('ces droits s’appliqueront lorsque le DMP les ouvrira. La date n’est pas encore connue.');
      await checkPage(page, 'access-matrix-dmp-not-open');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }

    await register.endSituation(actor, scope, situationId, { endDate: today, reason: 'departure' });
    const second = await openPage(browser, baseUrl);
    try {
      await second.page.goto('/connexion');
      await second.page.getByRole('link', { name: 'Se connecter avec Pro Santé Connect' }).click();
      await second.page.waitForURL(/\/dev-idp\/psc\/interaction\//);
      await second.page.getByLabel(/Identifiant e-CPS/).fill(idnps);
      await second.page.getByRole('button', { name: /Se connecter avec l’e-CPS/ }).click();
      await second.page.getByRole('heading', { name: 'Accès suspendu' }).waitFor();
      expect(await second.page.textContent('body')).toContain('aucune situation d’exercice active');
      await screenshot(second.page, 'ecps-suspended');
    } finally {
      await second.close();
    }
  });
});
