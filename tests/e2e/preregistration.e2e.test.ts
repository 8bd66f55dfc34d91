import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidRpps } from '../../src/server/identifiers.ts';
import { upsertAccount } from '../../src/server/auth/accounts.ts';
import { todayOf } from '../../src/server/calendar.ts';
import { systemClock } from '../../src/server/context.ts';
import { pscSubject } from '../../src/server/dev-idp/identities.ts';
import type { TestDatabase } from '../support/db.ts';
import { checkPage, openPage, screenshot, skipBrowserTests } from './support/browser.ts';
import { browserTimeouts } from './support/timeouts.ts';
import { type BrowserStack, type ReceivedMail, registrationJobs, startBrowserStack, waitForMail as waitForMailIn } from './support/stack.ts';
import { clickMenuLink } from './support/navigation.ts';

/** Issue 7, acceptance 1 and 7: the whole pre-registration loop in Chromium, pages checked with axe. */
describe.skipIf(skipBrowserTests)('pre-registration in Chromium', () => {
  let stack: BrowserStack;
  let database: TestDatabase;
  let app: FastifyInstance;
  let browser: Browser;
  let baseUrl: string;
  let gestionnaireEmail: string;
  let received: ReceivedMail[];

  const waitForMail = (match: (m: ReceivedMail) => boolean) => waitForMailIn(received, match);

  beforeAll(async () => {
    stack = await startBrowserStack({ smtp: true, jobs: registrationJobs });
    ({ database, app, browser, baseUrl, received } = stack);
    gestionnaireEmail = (await database.db.selectFrom('habilitation').select('email').where('idnps', '=', '3690800206/CPE0042').executeTakeFirstOrThrow()).email;
  }, browserTimeouts.stackMs);

  afterAll(async () => stack?.close());

  /** The professional: FranceConnect sign-in from the public entry, form, request sent. */
  async function preRegister(page: Page, identity: RegExp, email: string, mobile: string) {
    await page.goto('/');
    await clickMenuLink(page, 'Je me pré-enregistre');
    await page.getByRole('heading', { level: 1, name: 'Je me pré-enregistre au RPPS' }).waitFor();
    await checkPage(page, 'preregistration-start');
    await page.getByRole('link', { name: /FranceConnect/ }).first().click();
    await page.waitForURL(/\/dev-idp\/franceconnect\/interaction\//);
    await page.getByRole('button', { name: identity }).click();
    await page.waitForURL(/\/pre-enregistrement$/);
    await page.getByRole('heading', { name: 'Mon état civil (FranceConnect)' }).waitFor();
    await page.getByRole('button', { name: 'Commencer une demande' }).click();
    await page.locator('input[name=email]').fill(email);
    await page.locator('input[name=mobile]').fill(mobile);
    await page.locator('input[name=egSearch]').fill('690800206');
    await page.locator('select[name=egFiness] option[value="690800206"]').waitFor({ state: 'attached' });
    await page.locator('select[name=egFiness]').selectOption('690800206');
    await page.locator('select[name=professionCode] option[value="313"]').waitFor({ state: 'attached' });
    await page.locator('select[name=professionCode]').selectOption('313');
    await page.locator('select[name=roleCode]').selectOption('GENR11');
    await page.locator('input[name=startDate]').fill(todayOf(systemClock));
    await page.locator('input[name=termsAccepted]').check({ force: true });
    await checkPage(page, 'preregistration-form');
    await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
    await page.getByText('Brouillon enregistré.').waitFor();
    await page.getByRole('button', { name: 'Envoyer la demande' }).click();
    await page.getByText('Votre demande a été envoyée').waitFor();
    await page.getByText('En attente de validation').waitFor();
    // What was sent, as typed: the mobile in the national format, not the stored +33… form.
    expect(await page.locator('dl').filter({ hasText: 'Téléphone mobile' }).first().textContent()).toContain(`Téléphone mobile : ${mobile}`);
    await checkPage(page, 'preregistration-pending');
  }

  /** The gestionnaire of the EG: PSC sign-in, badge, queue, the request opened. */
  async function openRequest(page: Page, name: RegExp) {
    await page.goto('/connexion');
    await page.getByRole('link', { name: 'Se connecter avec Pro Santé Connect' }).click();
    await page.waitForURL(/\/dev-idp\/psc\/interaction\//);
    await page.getByRole('button', { name: /Patrick O’CONNOR/ }).click();
    await page.waitForURL(/\/mon-espace$/);
    await page.getByTestId('pending-badge').first().waitFor();
    await clickMenuLink(page, /Demandes à traiter/);
    await page.getByRole('heading', { level: 1, name: 'Demandes à traiter' }).waitFor();
    await page.getByRole('link', { name }).waitFor();
    await checkPage(page, 'preregistration-queue');
    await page.getByRole('link', { name }).click();
    await page.getByRole('heading', { level: 1, name: 'Traiter une demande de pré-enregistrement' }).waitFor();
    await page.locator('select[name=roleCode] option[value="GENR11"]').waitFor({ state: 'attached' });
    await checkPage(page, 'preregistration-decision');
  }

  it('pre-registers with FranceConnect; the gestionnaire is e-mailed, sees the badge and validates; the number is e-mailed', async () => {
    const pro = await openPage(browser, baseUrl);
    const g = await openPage(browser, baseUrl);
    try {
      await preRegister(pro.page, /Angela Claire Louise DUBOIS/, 'angela.dubois@exemple.fr', '06 11 22 33 44');
      await screenshot(pro.page, 'preregistration-sent');
      // The habilitated gestionnaire of the EG is told at once (through the outbox).
      expect(await waitForMail((m) => m.to.includes(gestionnaireEmail))).toBeDefined();

      await openRequest(g.page, /Angela Claire Louise MARTIN/);
      await g.page.locator('input[name=accurateAndInformed]').check({ force: true });
      await g.page.locator('input[name=metInPerson]').check({ force: true });
      await g.page.getByRole('button', { name: 'Valider la demande' }).click();
      const done = g.page.getByText(/Demande validée\. Numéro RPPS : \d{11}/);
      await done.waitFor();
      const rpps = /\d{11}/.exec((await done.textContent())!)![0];
      expect(isValidRpps(rpps)).toBe(true);
      await checkPage(g.page, 'preregistration-validated');

      const mail = await waitForMail((m) => m.to.includes('angela.dubois@exemple.fr') && m.raw.includes(rpps));
      expect(mail, 'RPPS number e-mail').toBeDefined();
      await pro.page.reload();
      await pro.page.getByText(`Votre numéro RPPS : ${rpps}`).waitFor();
      await checkPage(pro.page, 'preregistration-validated-professional');
      expect([...pro.errors, ...g.errors]).toEqual([]);
    } finally {
      await pro.close();
      await g.close();
    }
  }, browserTimeouts.testMs);

  it('another run: the gestionnaire rejects with a reason, which the professional receives', async () => {
    const pro = await openPage(browser, baseUrl);
    const g = await openPage(browser, baseUrl);
    try {
      await preRegister(pro.page, /João Miguel FERREIRA DOS SANTOS/, 'joao.ferreira@exemple.fr', '06 11 22 33 55');
      await openRequest(g.page, /João Miguel FERREIRA DOS SANTOS/);
      await g.page.getByRole('button', { name: 'Refuser la demande' }).click();
      await g.page.getByText(/Le motif du refus est obligatoire/).first().waitFor();
      await g.page.locator('textarea[name=reason]').fill('Contrat de travail non signé à ce jour');
      await g.page.getByRole('button', { name: 'Refuser la demande' }).click();
      await g.page.getByText('Demande refusée.', { exact: false }).waitFor();
      const mail = await waitForMail((m) => m.to.includes('joao.ferreira@exemple.fr'));
      expect(mail, 'rejection e-mail').toBeDefined();
      expect(mail!.raw).toMatch(/Contrat de travail non sign/);
      await pro.page.reload();
      await pro.page.getByText('Motif du refus : Contrat de travail non signé à ce jour').waitFor();
      await checkPage(pro.page, 'preregistration-rejected');
      // The refusal without a reason answered 422 on purpose: Chromium logs that response.
      expect([...pro.errors, ...g.errors].filter((e) => !/status of 422 .*\/reject\)$/.test(e))).toEqual([]);
    } finally {
      await pro.close();
      await g.close();
    }
  }, browserTimeouts.testMs);

  it('the registered professional (PSC) reads his record and changes his e-mail with the code received', async () => {
    const person = await database.db.selectFrom('person').select('rpps').where('email', '=', 'angela.dubois@exemple.fr').executeTakeFirstOrThrow();
    // A PSC session for that person, opened in the session store (the demo PSC identities have other numbers).
    const idnps = `8${person.rpps}`;
    const account = await upsertAccount(database.db, { provider: 'psc', subject: pscSubject(idnps), idnps, familyName: 'MARTIN', givenName: 'Angela' }, systemClock.now());
    const session = await app.auth.sessions.create({ accountId: account.id, provider: 'psc', idToken: null, identity: {} });
    const me = await openPage(browser, baseUrl);
    try {
      await me.page.context().addCookies([
        { name: app.auth.cookies.session, value: session.token, url: baseUrl },
        { name: app.auth.cookies.csrf, value: session.csrfToken, url: baseUrl },
      ]);
      await me.page.goto('/');
      await clickMenuLink(me.page, 'Mon dossier RPPS');
      await me.page.getByTestId('record-rpps').waitFor();
      expect(await me.page.getByTestId('record-rpps').textContent()).toContain(person.rpps);
      await checkPage(me.page, 'preregistration-my-record');
      await me.page.locator('input[name=new-email]').fill('angela.martin@exemple.fr');
      await me.page.getByRole('button', { name: 'Recevoir un code' }).first().click();
      const mail = await waitForMail((m) => m.to.includes('angela.martin@exemple.fr'));
      const code = /\b(\d{6})\b/.exec(mail!.raw)![1]!;
      await me.page.locator('input[name=code-email]').fill(code);
      await checkPage(me.page, 'preregistration-my-record-code');
      await me.page.getByRole('button', { name: 'Confirmer' }).click();
      await me.page.getByText('Vos coordonnées ont été mises à jour.').waitFor();
      await me.page.getByText('Actuellement : angela.martin@exemple.fr').waitFor();
      await screenshot(me.page, 'my-record');
      expect(me.errors).toEqual([]);
    } finally {
      await me.close();
    }
  }, browserTimeouts.testMs);
});
