import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayOf } from '../../src/server/calendar.ts';
import { systemClock } from '../../src/server/context.ts';
import { isValidRpps } from '../../src/server/identifiers.ts';
import { activeContract, demo, sessionFor } from '../../src/server/modules/onboarding/testing.ts';
import { createRegisterService } from '../../src/server/modules/register/service.ts';
import { etatCivil, actor as seeder } from '../../src/server/modules/register/testing.ts';
import { checkPage, openPage, screenshot, skipBrowserTests } from './support/browser.ts';
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
    const today = todayOf(systemClock);
    try {
      await page.goto('/connexion');
      await page.getByRole('link', { name: 'Se connecter avec Pro Santé Connect' }).click();
      await page.waitForURL(/\/dev-idp\/psc\/interaction\//);
      await page.getByRole('button', { name: /Patrick O’CONNOR/ }).click();
      await page.waitForURL(/\/mon-espace$/);

      await clickMenuLink(page, 'Enregistrer un professionnel');
      await page.getByRole('heading', { level: 1, name: 'Enregistrer un professionnel' }).waitFor();
      await checkPage(page, 'register-step-1');

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
      await checkPage(page, 'register-commune-candidates');
      await lyon.click();
      await page.getByText('Commune choisie : Lyon (69)').waitFor();
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
      await checkPage(page, 'register-step-3');
      await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();

      // Step 4: the two declarations, then submission.
      await page.getByText('Déclarations', { exact: true }).waitFor();
      await page.locator('input[name=accurateAndInformed]').check({ force: true });
      await page.locator('input[name=metInPerson]').check({ force: true });
      await checkPage(page, 'register-step-4');
      await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();

      // Step 5 (issue 17): everything listed before sending, with a way back to each step.
      const review = page.getByTestId('review');
      await review.waitFor();
      const listed = (await review.textContent())!;
      for (const shown of ['Fontaine', 'Élise, Marie', '17/02/1993', 'Lyon (69)', 'elise.fontaine@exemple.fr', '06 55 44 33 22', 'EHPAD LES TILLEULS', 'cni.pdf']) expect(listed).toContain(shown);
      expect(listed).not.toMatch(/\(313\)|GENR11|INSEE|69123/);

      // Issue 17: the draft as the server kept it (after a new sign-in, from « Mes brouillons »)
      // names its commune and EG, never their codes.
      await page.evaluate(() => sessionStorage.clear());
      await page.reload();
      await review.waitFor();
      await expect.poll(async () => (await review.textContent()) ?? '', { timeout: browserTimeouts.actionMs }).toContain('Lyon (69)');
      await expect.poll(async () => (await review.textContent()) ?? '', { timeout: browserTimeouts.actionMs }).toContain('EHPAD LES TILLEULS (690800206)');
      expect(await review.textContent()).not.toMatch(/INSEE|69123/);
      await checkPage(page, 'register-review');
      const submission = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/submit'));
      await page.getByRole('button', { name: 'Envoyer l’enregistrement' }).click();
      const { registeredAt } = (await (await submission).json()) as { registeredAt: string };

      const number = page.getByTestId('rpps-number');
      await number.waitFor();
      const rpps = (await number.textContent())!.trim();
      expect(isValidRpps(rpps)).toBe(true);
      expect(await page.getByTestId('receipt-name').textContent()).toBe('Élise Marie Fontaine');
      // The receipt's date and time are the server's record, in Paris time (not the browser's clock).
      expect(await page.getByTestId('receipt-date').textContent()).toBe(
        new Date(registeredAt).toLocaleString('fr-FR', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Paris' }),
      );
      await page.getByRole('button', { name: 'Imprimer le récépissé' }).waitFor();
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('header.fr-header').isVisible()).toBe(false);
      await screenshot(page, 'register-receipt-print');
      await page.emulateMedia({ media: 'screen' });
      await checkPage(page, 'register-success');

      // The e-mail with the number, caught by the SMTP server (how soon: `npm run bench -- publication`).
      const mail = await waitForMail(received, (m) => m.raw.includes(rpps), 'the registration e-mail');
      expect(mail.to).toEqual(['elise.fontaine@exemple.fr']);

      // The person page, reached from the success screen, and "Mes professionnels".
      await page.getByRole('link', { name: 'Voir la fiche du professionnel' }).click();
      await page.getByTestId('person-rpps').waitFor();
      expect(await page.getByTestId('person-rpps').textContent()).toBe(rpps);
      await page.getByText('Lyon (69)', { exact: true }).waitFor();
      await checkPage(page, 'register-person');
      await page.goto('/professionnels');
      // Exercise names as typed (issue 16): « Élise Fontaine ».
      await page.getByRole('link', { name: /Élise Fontaine/ }).waitFor();
      await checkPage(page, 'register-my-professionals');

      // The same person joins another service: found by identity, only the number shown back.
      await page.getByRole('link', { name: 'Ajouter une situation à un professionnel déjà enregistré' }).click();
      await page.locator('input[name=rpps]').fill(rpps);
      await page.locator('input[name=birthName]').fill('FONTAINE');
      await page.locator('input[name=firstName]').fill('Marie');
      await page.locator('select[name=sexe]').selectOption('F');
      await page.locator('input[name=birthDate]').fill('1993-02-17');
      await checkPage(page, 'register-add-situation');
      await page.getByRole('button', { name: 'Rechercher' }).click();
      await page.getByText(`Professionnel trouvé : RPPS ${rpps}.`).waitFor();
      await page.locator('select[name=egFiness] option[value="690800206"]').waitFor({ state: 'attached' });
      await page.locator('select[name=egFiness]').selectOption('690800206');
      await page.locator('input[name=startDate]').fill(today);
      await page.locator('select[name=professionCode]').selectOption('326');
      await page.locator('select[name=roleCode]').selectOption('GENR10');
      await checkPage(page, 'register-add-situation-found');
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
      await checkPage(page, 'register-early-duplicates');
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

  it('step 1: an identity close to a person of ANOTHER structure only is named by nothing; the gestionnaire goes on, the ANS reviews', async () => {
    // Structure B (EJ demo.otherEj) joined through the real contract flow; it registered P in its EG.
    const db = stack.database.db;
    const operator = await sessionFor(stack.app, db, demo.idnps.operator);
    const rlB = await sessionFor(stack.app, db, demo.idnps.educateur);
    await activeContract(rlB, operator, demo.otherEj);
    const p = await createRegisterService({ db, clock: systemClock, config: stack.database.config }).registerProfessional(seeder, 'all', {
      etatCivil: etatCivil({ birthName: 'Lemaître', firstNames: ['Hélène'], birthDate: '1975-03-03', birthCommuneCode: '31555' }),
      contact: { email: 'helene.lemaitre@exemple.fr', mobile: '0611223399' },
      situation: { egFiness: demo.otherEjEg, professionCode: '326', roleCode: 'GENR10', modeCode: 'S', startDate: '2026-10-01' },
    });

    // A gestionnaire of structure A (EG 690800206) types a close identity.
    const { page, errors, close } = await openPage(browser, baseUrl);
    const today = todayOf(systemClock);
    try {
      await page.goto(`/auth/psc/login?retour=${encodeURIComponent('/professionnels/enregistrer')}`);
      await page.waitForURL(/\/dev-idp\/psc\/interaction\//);
      await page.getByRole('button', { name: /Patrick O’CONNOR/ }).click();
      await page.getByRole('heading', { level: 1, name: 'Enregistrer un professionnel' }).waitFor();
      await page.locator('select[name=civilite]').selectOption('MME');
      await page.locator('select[name=sexe]').selectOption('F');
      await page.locator('input[name=birthName]').fill('LEMAITRE');
      await page.locator('input[name=firstName0]').fill('Helene');
      await page.getByRole('button', { name: 'Ajouter un prénom' }).click();
      await page.locator('input[name=firstName1]').fill('Claire');
      await page.locator('input[name=birthDate]').fill('1975-03-03');
      await page.locator('input[name=birthCommune]').fill('Toulouse');
      await page.getByText(/^Toulouse — INSEE 31555/).click();
      await page.getByText('Commune choisie : Toulouse (31)').waitFor();
      await page.locator('input[name=identityDocument]').setInputFiles({ name: 'cni.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n') });
      await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();

      // At once, at step 1: « Une identité proche est déjà enregistrée… », and nothing that names P.
      const early = page.getByTestId('early-duplicates');
      await early.waitFor();
      const said = (await early.textContent())!;
      expect(said).toContain('Une identité proche est déjà enregistrée. Vous pouvez continuer : l’ANS vérifiera.');
      expect(said).not.toContain(p.rpps);
      expect(said).not.toMatch(/Lemaître|LEMAITRE|Hélène|1975/);
      expect(await early.getByRole('button', { name: /C’est cette personne/ }).count()).toBe(0);
      await checkPage(page, 'register-out-of-scope-duplicate');

      // "It is someone else": the registration goes on, to the review step and the number.
      await early.getByRole('button', { name: 'C’est une autre personne : continuer l’enregistrement' }).click();
      await page.locator('input[name=email]').fill('helene.claire.lemaitre@exemple.fr');
      await page.locator('input[name=mobile]').fill('06 12 34 56 78');
      await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();
      await page.locator('select[name=egFiness] option[value="690800206"]').waitFor({ state: 'attached' });
      await page.locator('select[name=egFiness]').selectOption('690800206');
      await page.locator('input[name=startDate]').fill(today);
      await page.locator('select[name=professionCode]').selectOption('313');
      await page.locator('select[name=roleCode]').selectOption('GENR11');
      await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();
      await page.locator('input[name=accurateAndInformed]').check({ force: true });
      await page.locator('input[name=metInPerson]').check({ force: true });
      await page.getByRole('button', { name: 'Enregistrer et continuer' }).click();
      await page.getByTestId('review').waitFor();
      expect(await page.getByTestId('review').textContent()).toContain('Toulouse (31)');
      await page.getByRole('button', { name: 'Envoyer l’enregistrement' }).click();
      const number = page.getByTestId('rpps-number');
      await number.waitFor();
      const rpps = (await number.textContent())!.trim();
      expect(rpps).not.toBe(p.rpps);
      await checkPage(page, 'register-out-of-scope-registered');

      // The ANS reviews the identity (a possible duplicate outside the structure).
      const person = await db.selectFrom('person').select(['identityStatus', 'identityCheckReasons']).where('rpps', '=', rpps).executeTakeFirstOrThrow();
      expect(person).toEqual({ identityStatus: 'to_review', identityCheckReasons: ['possible-duplicate'] });
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, browserTimeouts.testMs);
});
