import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayOf } from '../../src/server/calendar.ts';
import { systemClock } from '../../src/server/context.ts';
import { minimalPdf } from '../../src/server/modules/onboarding/demo.ts';
import { checkPage, openPage, skipBrowserTests, type WatchedPage } from './support/browser.ts';
import { browserTimeouts } from './support/timeouts.ts';
import { type BrowserStack, startBrowserStack } from './support/stack.ts';

/** Issue 5, acceptance 1 and 6: the onboarding in Chromium, every page checked by axe. */
describe.skipIf(skipBrowserTests)('onboarding in Chromium', () => {
  let stack: BrowserStack;
  let browser: Browser;
  let baseUrl: string;
  const today = todayOf(systemClock);

  beforeAll(async () => {
    stack = await startBrowserStack();
    ({ browser, baseUrl } = stack);
  }, browserTimeouts.stackMs);

  afterAll(async () => stack?.close());

  /** A fresh browser context signed in through the embedded Pro Santé Connect as `who`. */
  async function signedIn(who: RegExp, retour: string): Promise<WatchedPage> {
    const watched = await openPage(browser, baseUrl);
    const { page } = watched;
    await page.goto(`/auth/psc/login?retour=${encodeURIComponent(retour)}`);
    await page.waitForURL(/\/dev-idp\/psc\/interaction\//);
    await page.getByRole('button', { name: who }).click();
    await page.waitForURL((u) => u.pathname === retour);
    return watched;
  }

  /** Every page of the RL's and the operator's journeys: axe at 1280 and 375 px (issue 17). */
  const checked = checkPage;

  it('a structure requests a contract, an operator activates it, the RL habilitates a gestionnaire who sees exactly his scope', async () => {
    // 1. The future RL (e-CPS) requests the contract of ASSOCIATION LE PETIT PRINCE.
    const rl = await signedIn(/Öztürk Emre ÇELIK/, '/adhesion');
    try {
      const { page } = rl;
      await page.getByRole('heading', { level: 1, name: /Demander l’adhésion/ }).waitFor();
      await checked(page, 'onboarding-request-step1');
      await page.getByLabel(/Numéro FINESS de la structure/).fill('690801576');
      // Issue 16: the RL reads the MIE terms before the contract.
      await page.getByLabel(/a pris connaissance des conditions générales d’utilisation des moyens/).check({ force: true });
      await page.getByRole('button', { name: 'Étape suivante' }).click();
      await page.getByText(/ASSOCIATION LE PETIT PRINCE/).first().waitFor();
      await page.getByLabel(/Numéro SIRET du siège/).fill('77562452600015');
      await page.getByLabel(/Adresse de l’organisme gestionnaire/).fill('1 rue du Petit Prince, 69003 Lyon');
      await page.getByLabel(/Je suis le représentant légal/).check({ force: true });
      await page.getByLabel(/^Adresse électronique/).fill('direction@petit-prince.invalid');
      await page.getByLabel(/^Téléphone/).fill('04 78 00 00 00');
      await checked(page, 'onboarding-request-step2');
      await page.getByRole('button', { name: 'Étape suivante' }).click();
      // The pre-filled contract to sign (issue 16).
      const form = page.getByRole('link', { name: /Télécharger le contrat d’adhésion pré-rempli/ });
      const pdfResponse = await page.request.get(new URL((await form.getAttribute('href'))!, page.url()).toString());
      expect(pdfResponse.headers()['content-type']).toBe('application/pdf');
      await page.getByLabel(/Date de signature du contrat/).fill(today);
      await page.getByLabel(/Contrat d’adhésion signé/).setInputFiles({ name: 'contrat.pdf', mimeType: 'application/pdf', buffer: minimalPdf('Contrat') });
      await checked(page, 'onboarding-request-step3');
      await page.getByRole('button', { name: 'Envoyer la demande à l’ANS' }).click();
      await page.getByText('Votre demande a été envoyée').waitFor();
      await checked(page, 'onboarding-request-sent');
      expect(rl.errors).toEqual([]);
    } finally {
      await rl.close();
    }

    // 2. An ANS operator activates it in the back office.
    const operator = await signedIn(/Loïc BÉRANGER/, '/back-office/contrats');
    try {
      const { page } = operator;
      await page.getByRole('heading', { level: 1, name: 'Contrats d’adhésion à traiter' }).waitFor();
      const row = page.getByRole('row', { name: /ASSOCIATION LE PETIT PRINCE/ });
      await row.waitFor();
      await checked(page, 'onboarding-back-office');
      await row.getByRole('button', { name: 'Activer' }).click();
      // Issue 17: the decision is confirmed in a modal that states its consequence.
      await page.locator('dialog[open]').getByRole('button', { name: 'Activer', exact: true }).click();
      await page.getByText(/est actif : la carte CDE/).waitFor();
      await checked(page, 'onboarding-back-office-activated');
      expect(operator.errors).toEqual([]);
    } finally {
      await operator.close();
    }

    // 3. The RL, now recognised, habilitates a gestionnaire on one EG with the attestation.
    const rl2 = await signedIn(/Öztürk Emre ÇELIK/, '/mon-espace');
    try {
      const { page } = rl2;
      await page.getByTestId('entity-690801576').waitFor();
      await checked(page, 'onboarding-my-space-rl');
      await page.getByTestId('entity-690801576').getByRole('link', { name: 'Gérer les habilitations' }).click();
      await page.getByRole('heading', { level: 1, name: /Mes habilitations/ }).waitFor();
      await page.getByText('Aucun gestionnaire n’est habilité pour le moment.').waitFor();
      await checked(page, 'onboarding-habilitations-empty');
      await page.getByRole('button', { name: 'Changer de stratégie' }).click();
      await page.locator('dialog[open]').getByRole('button', { name: 'Changer de stratégie' }).click();
      await page.getByText(/^Décentralisée/).first().waitFor();
      const form = page.locator('section[aria-labelledby="add-title"]');
      await form.getByLabel(/Identifiant national/).fill('810003333449');
      await form.getByLabel(/^Nom/).fill('D’ALMEIDA-KÉRÉBEL');
      await form.getByLabel(/^Prénom/).fill('Marie-Ève');
      await form.getByLabel(/^Adresse électronique/).fill('marie-eve@exemple.invalid');
      await form.getByLabel(/Date de réalisation de l’e-learning/).fill(today);
      await form.getByLabel(/Attestation de l’e-learning/).setInputFiles({ name: 'attestation.pdf', mimeType: 'application/pdf', buffer: minimalPdf('Attestation') });
      await form.getByLabel(/IME LE PETIT PRINCE/).check({ force: true });
      await checked(page, 'onboarding-habilitations-form');
      await form.getByRole('button', { name: 'Habiliter' }).click();
      await page.getByText('Le gestionnaire est habilité.').waitFor();
      await page.getByRole('row', { name: /Marie-Ève D’ALMEIDA-KÉRÉBEL/ }).waitFor();
      await checked(page, 'onboarding-habilitations-list');
      expect(rl2.errors).toEqual([]);
    } finally {
      await rl2.close();
    }

    // 4. The gestionnaire signs in and sees exactly her scope.
    const gestionnaire = await signedIn(/Marie-Ève Françoise D’ALMEIDA-KÉRÉBEL/, '/mon-espace');
    try {
      const { page } = gestionnaire;
      const entity = page.getByTestId('entity-690801576');
      await entity.waitFor();
      const scope = await entity.getByTestId('register-scope').locator('li').allTextContents();
      expect(scope).toEqual(['IME LE PETIT PRINCE (690801600)']);
      expect(await page.getByRole('link', { name: 'Gérer les habilitations' }).count()).toBe(0);
      await checked(page, 'onboarding-my-space-gestionnaire');
      expect(gestionnaire.errors).toEqual([]);
    } finally {
      await gestionnaire.close();
    }
  }, browserTimeouts.testMs);

  it('signed out, the onboarding pages say so (no data) and pass axe', async () => {
    const watched = await openPage(browser, baseUrl);
    try {
      const { page } = watched;
      for (const [path, text, name] of [
        ['/adhesion', 'Connectez-vous avec votre carte CPx', 'onboarding-request-anonymous'],
        // Protected pages send a signed-out visitor to sign in, to come back afterwards (issue 17).
        ['/back-office/contrats', 'Vous n’êtes pas connecté', 'onboarding-back-office-anonymous'],
        ['/habilitations/690800123', 'Vous n’êtes pas connecté', 'onboarding-habilitations-anonymous'],
      ] as const) {
        await page.goto(path);
        await page.getByText(text).waitFor();
        expect(await page.textContent('main')).not.toContain('O’CONNOR');
        await checked(page, name);
      }
      // The 401 answers of the API show up as failed resource loads in the console: nothing else.
      expect(watched.errors.filter((e) => !/status of 401/.test(e))).toEqual([]);
    } finally {
      await watched.close();
    }
  }, browserTimeouts.testMs);

  it('the demo RL’s "Mes habilitations" and a refusal page pass axe', async () => {
    const rl = await signedIn(/Jean-Marc DE LA FONTAINE-SAINT-ÉLOI/, '/habilitations/690800123');
    try {
      const { page } = rl;
      await page.getByRole('row', { name: /Patrick O’CONNOR/ }).waitFor();
      await checked(page, 'onboarding-habilitations-demo');
      const row = page.getByRole('row', { name: /Patrick O’CONNOR/ });
      await row.getByRole('button', { name: /Modifier le périmètre/ }).click();
      await checked(page, 'onboarding-habilitations-edit');
      await row.getByRole('button', { name: 'Annuler' }).click();
      await row.getByRole('button', { name: /Révoquer/ }).click();
      await page.locator('dialog[open]').getByRole('button', { name: 'Révoquer', exact: true }).click();
      await page.getByText(/L’habilitation est révoquée/).waitFor();
      await checked(page, 'onboarding-habilitations-revoked');
      const mandataires = page.locator('section[aria-labelledby="mandataires-title"]');
      await mandataires.getByRole('row', { name: /Thi Hoa N’GUYEN/ }).waitFor();
      await mandataires.getByLabel(/Identifiant national/).fill('810004444559');
      await mandataires.getByLabel(/^Nom/).fill('ÇELIK');
      await mandataires.getByLabel(/^Prénom/).fill('Emre');
      await mandataires.getByLabel(/^Adresse électronique/).fill('emre@exemple.invalid');
      await mandataires.getByRole('button', { name: 'Désigner' }).click();
      await mandataires.getByRole('row', { name: /Emre ÇELIK/ }).waitFor();
      await checked(page, 'onboarding-mandataires');
      await page.goto('/back-office/contrats');
      await page.getByText('Cette page est réservée aux opérateurs de l’ANS.').waitFor();
      await checked(page, 'onboarding-back-office-forbidden');
      expect(rl.errors).toEqual([]);
    } finally {
      await rl.close();
    }
  }, browserTimeouts.testMs);
});
