import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/server/context.ts';
import { isValidRpps } from '../../src/server/identifiers.ts';
import { axeViolations, openPage, screenshot, skipBrowserTests } from './support/browser.ts';
import { browserTimeouts } from './support/timeouts.ts';
import { type BrowserStack, type ReceivedMail, registrationJobs, startBrowserStack, waitForMail } from './support/stack.ts';
import { clickMenuLink } from './support/navigation.ts';

/** Issue 6, acceptance 1: a gestionnaire registers a professional end to end in Chromium. */
describe.skipIf(skipBrowserTests)('registering a professional in Chromium', () => {
  let stack: BrowserStack;
  let browser: Browser;
  let baseUrl: string;
  let received: ReceivedMail[];

  beforeAll(async () => {
    stack = await startBrowserStack({ smtp: true, jobs: registrationJobs });
    ({ browser, baseUrl, received } = stack);
  }, browserTimeouts.stackMs);

  afterAll(async () => stack?.close());

  it('signs in with PSC, fills the 4 steps, sees the RPPS number; the e-mail with the number arrives', async () => {
    const { page, errors, close } = await openPage(browser, baseUrl);
    const today = systemClock.now().toISOString().slice(0, 10);
    try {
      await page.goto('/connexion');
      await page.getByRole('link', { name: 'Se connecter avec Pro Santé Connect' }).click();
      await page.waitForURL(/\/dev-idp\/psc\/interaction\//);
      await page.getByRole('button', { name: /Patrick O’CONNOR/ }).click();
      await page.waitForURL(/\/mon-espace$/);

      await clickMenuLink(page, 'Enregistrer un professionnel');
      await page.getByRole('heading', { level: 1, name: 'Enregistrer un professionnel' }).waitFor();
      expect(await axeViolations(page)).toEqual([]);

      // Step 1: état civil, with the commune chosen among candidates (INSEE code, department).
      await page.locator('select[name=civilite]').selectOption('MME');
      await page.locator('select[name=sexe]').selectOption('F');
      await page.locator('input[name=birthName]').fill('Fontaine');
      await page.locator('input[name=firstName0]').fill('Élise');
      await page.getByRole('button', { name: 'Ajouter un prénom' }).click();
      await page.locator('input[name=firstName1]').fill('Marie');
      await page.locator('input[name=birthDate]').fill('1993-02-17');
      await page.locator('input[name=birthCommune]').fill('Lyon');
      const lyon = page.getByText(/^Lyon — INSEE 69123 — département 69/);
      await lyon.waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await lyon.click();
      await page.getByText('Commune choisie : Lyon (69123)').waitFor();
      await page.locator('input[name=identityDocument]').setInputFiles({ name: 'cni.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n') });
      await screenshot(page, 'register-step-1');
      await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();

      // Step 2: coordonnées.
      await page.getByText('Coordonnées personnelles (non publiées)').waitFor();
      await page.locator('input[name=email]').fill('elise.fontaine@exemple.fr');
      await page.locator('input[name=mobile]').fill('06 55 44 33 22');
      await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();

      // Step 3: situation (EG of his scope, profession and role from the nomenclatures, salarié).
      await page.getByText('Situation d’exercice (publiée dans l’annuaire)').waitFor();
      // Exercise names default to the birth name and first first name, accents as typed (seed 004).
      expect(await page.locator('input[name=exerciseLastName]').inputValue()).toBe('Fontaine');
      expect(await page.locator('input[name=exerciseFirstName]').inputValue()).toBe('Élise');
      await page.locator('select[name=egFiness] option[value="690800206"]').waitFor({ state: 'attached' });
      await page.locator('select[name=egFiness]').selectOption('690800206');
      await page.locator('input[name=startDate]').fill(today);
      await page.locator('select[name=professionCode]').selectOption('313');
      await page.locator('select[name=roleCode]').selectOption('GENR11');
      expect(await axeViolations(page)).toEqual([]);
      await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();

      // Step 4: the two declarations, then submission.
      await page.getByText('Déclarations', { exact: true }).waitFor();
      await page.locator('input[name=accurateAndInformed]').check({ force: true });
      await page.locator('input[name=metInPerson]').check({ force: true });
      expect(await axeViolations(page)).toEqual([]);
      await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();

      // Step 5 (issue 17): everything listed before sending, with a way back to each step.
      const review = page.getByTestId('review');
      await review.waitFor();
      const listed = (await review.textContent())!;
      for (const shown of ['Fontaine', 'Élise, Marie', '17/02/1993', 'elise.fontaine@exemple.fr', '06 55 44 33 22', 'EHPAD LES TILLEULS', 'cni.pdf']) expect(listed).toContain(shown);
      expect(listed).not.toMatch(/\(313\)|GENR11/);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'register-review');
      await page.getByRole('button', { name: 'Envoyer l’enregistrement' }).click();

      const number = page.getByTestId('rpps-number');
      await number.waitFor();
      const rpps = (await number.textContent())!.trim();
      expect(isValidRpps(rpps)).toBe(true);
      expect(await page.getByTestId('receipt-name').textContent()).toBe('Élise Marie Fontaine');
      await page.getByRole('button', { name: 'Imprimer le récépissé' }).waitFor();
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('header.fr-header').isVisible()).toBe(false);
      await screenshot(page, 'register-receipt-print');
      await page.emulateMedia({ media: 'screen' });
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'register-success');

      // The e-mail with the number, caught by the SMTP server (how soon: `npm run bench -- publication`).
      const mail = await waitForMail(received, (m) => m.raw.includes(rpps), 'the registration e-mail');
      expect(mail.to).toEqual(['elise.fontaine@exemple.fr']);

      // The person page, reached from the success screen, and "Mes professionnels".
      await page.getByRole('link', { name: 'Voir la fiche du professionnel' }).click();
      await page.getByTestId('person-rpps').waitFor();
      expect(await page.getByTestId('person-rpps').textContent()).toBe(rpps);
      expect(await axeViolations(page)).toEqual([]);
      await page.goto('/professionnels');
      // Exercise names as typed (issue 16): « Élise Fontaine ».
      await page.getByRole('link', { name: /Élise Fontaine/ }).waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'register-my-professionals');

      // The same person joins another service: found by identity, only the number shown back.
      await page.getByRole('link', { name: 'Ajouter une situation à un professionnel déjà enregistré' }).click();
      await page.locator('input[name=rpps]').fill(rpps);
      await page.locator('input[name=birthName]').fill('FONTAINE');
      await page.locator('input[name=firstName]').fill('Marie');
      await page.locator('select[name=sexe]').selectOption('F');
      await page.locator('input[name=birthDate]').fill('1993-02-17');
      expect(await axeViolations(page)).toEqual([]);
      await page.getByRole('button', { name: 'Rechercher' }).click();
      await page.getByText(`Professionnel trouvé : RPPS ${rpps}.`).waitFor();
      await page.locator('select[name=egFiness] option[value="690800206"]').waitFor({ state: 'attached' });
      await page.locator('select[name=egFiness]').selectOption('690800206');
      await page.locator('input[name=startDate]').fill(today);
      await page.locator('select[name=professionCode]').selectOption('326');
      await page.locator('select[name=roleCode]').selectOption('GENR10');
      expect(await axeViolations(page)).toEqual([]);
      await page.getByRole('button', { name: 'Ajouter la situation' }).click();
      await page.getByText('Situation ajoutée').waitFor();

      // Issue 17: the same identity typed again in the wizard is questioned at step 1, as a choice.
      await page.goto('/professionnels/enregistrer');
      await page.locator('select[name=civilite]').selectOption('MME');
      await page.locator('select[name=sexe]').selectOption('F');
      await page.locator('input[name=birthName]').fill('FONTAINE');
      await page.locator('input[name=firstName0]').fill('Elise');
      await page.locator('input[name=birthDate]').fill('1993-02-17');
      await page.locator('input[name=birthCommune]').fill('Lyon');
      await page.getByText(/^Lyon — INSEE 69123/).click();
      await page.locator('input[name=identityDocument]').setInputFiles({ name: 'cni.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n') });
      await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();
      await page.getByTestId('early-duplicates').waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'register-early-duplicates');
      await page.getByRole('button', { name: `C’est cette personne (RPPS ${rpps}) : lui ajouter une situation` }).click();
      await page.waitForURL((u) => u.pathname === '/professionnels/ajouter-une-situation');
      expect(await page.locator('input[name=rpps]').inputValue()).toBe(rpps);
      expect(await page.locator('input[name=birthName]').inputValue()).toBe('FONTAINE');
      expect(await page.locator('input[name=birthDate]').inputValue()).toBe('1993-02-17');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, browserTimeouts.testMs);
});
