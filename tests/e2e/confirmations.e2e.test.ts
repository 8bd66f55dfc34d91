import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { todayOf } from '../../src/server/calendar.ts';
import { systemClock } from '../../src/server/context.ts';
import { seedDemoProfessionals } from '../../src/server/modules/register/demo.ts';
import { checkPage, openPage, skipBrowserTests, type WatchedPage } from './support/browser.ts';
import { demoSeedDeps, useBrowserStack } from './support/stack.ts';

/**
 * Issue 17, blocker 1: every irreversible action asks first, in a DSFR modal that states the
 * consequence; focus goes into the modal, back to the trigger on "Annuler", to the outcome after.
 */
describe.skipIf(skipBrowserTests)('confirmation before irreversible actions, in Chromium', () => {
  const stack = useBrowserStack({}, (s) => seedDemoProfessionals(demoSeedDeps(s)));

  async function signedIn(who: RegExp, retour: string, viewport?: { width: number; height: number }): Promise<WatchedPage> {
    const watched = await openPage(stack.browser, stack.baseUrl, viewport ? { viewport } : {});
    await watched.page.goto(`/auth/psc/login?retour=${encodeURIComponent(retour)}`);
    await watched.page.waitForURL(/\/dev-idp\/psc\/interaction\//);
    await watched.page.getByRole('button', { name: who }).click();
    await watched.page.waitForURL((u) => u.pathname === retour);
    return watched;
  }

  const dialog = (page: Page) => page.locator('dialog[open]');
  const focusedText = (page: Page) => page.evaluate(() => document.activeElement?.textContent?.trim() ?? '');

  /** An open modal is checked once it has finished opening (focus inside, fade-in over), at 1280 and 375 px. */
  const checked = checkPage;

  it('RL: changing the strategy and revoking a habilitation ask first; cancel gives focus back', async () => {
    const { page, errors, close } = await signedIn(/Jean-Marc DE LA FONTAINE-SAINT-ÉLOI/, '/habilitations/690800123');
    try {
      await page.getByRole('heading', { level: 1, name: /Mes habilitations/ }).waitFor();
      const trigger = page.getByRole('button', { name: 'Changer de stratégie' });
      await trigger.click();
      await dialog(page).getByRole('heading', { name: /Passer en stratégie/ }).waitFor();
      await page.waitForFunction(() => document.activeElement?.closest('dialog[open]') !== null);
      await checked(page, 'confirm-strategy');
      await dialog(page).getByRole('button', { name: 'Annuler' }).click();
      await page.waitForFunction(() => document.querySelector('dialog[open]') === null);
      await page.waitForFunction(() => document.activeElement?.textContent?.includes('Changer de stratégie'));

      // O’CONNOR (the EG gestionnaire): the gestionnaire test below works as LEFÈVRE.
      const revoke = page.getByRole('button', { name: /^Révoquer — Patrick O’CONNOR/ });
      const who = (await revoke.textContent())!.replace(/^Révoquer — /, '');
      await revoke.click();
      await dialog(page).getByText(/perd aussitôt tout droit/).waitFor();
      await checked(page, 'confirm-revoke');
      await dialog(page).getByRole('button', { name: 'Révoquer', exact: true }).click();
      await page.getByText('L’habilitation est révoquée').waitFor();
      await page.waitForFunction(() => document.activeElement?.textContent?.includes('L’habilitation est révoquée'));
      expect(who.length).toBeGreaterThan(0);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);

  it('RL: withdrawing a mandate asks first, states the consequence; cancel gives focus back, the outcome gets it after', async () => {
    const { page, errors, close } = await signedIn(/Jean-Marc DE LA FONTAINE-SAINT-ÉLOI/, '/habilitations/690800123');
    try {
      const section = page.locator('section[aria-labelledby=mandataires-title]');
      await section.getByRole('heading', { name: 'Mandataires' }).waitFor();
      await section.locator('input[name=idnps]').fill('810009999012');
      await section.locator('input[name=familyName]').fill('MARTIN-DUBOIS');
      await section.locator('input[name=givenName]').fill('Clémence');
      await section.locator('input[name=email]').fill('c.martin-dubois@exemple.fr');
      await section.getByRole('button', { name: 'Désigner' }).click();
      await section.getByText('Le mandataire est désigné').waitFor();

      const trigger = section.getByRole('button', { name: 'Retirer le mandat — Clémence MARTIN-DUBOIS' });
      await trigger.click();
      await dialog(page).getByRole('heading', { name: 'Retirer le mandat de Clémence MARTIN-DUBOIS ?' }).waitFor();
      await dialog(page).getByText(/ne peut plus habiliter de gestionnaires/).waitFor();
      await checkPage(page, 'confirm-mandate');
      await dialog(page).getByRole('button', { name: 'Annuler' }).click();
      await page.waitForFunction(() => document.querySelector('dialog[open]') === null);
      await page.waitForFunction(() => document.activeElement?.textContent?.includes('Retirer le mandat — Clémence MARTIN-DUBOIS'));
      expect(await section.getByRole('cell', { name: 'Clémence MARTIN-DUBOIS', exact: true }).count()).toBe(1);

      await trigger.click();
      await dialog(page).getByRole('button', { name: 'Retirer le mandat', exact: true }).click();
      await section.getByText('Le mandat est retiré.').waitFor();
      await page.waitForFunction(() => document.activeElement?.textContent?.includes('Le mandat est retiré.'));
      expect(await section.getByRole('cell', { name: 'Clémence MARTIN-DUBOIS', exact: true }).count()).toBe(0);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);

  it('operator: refusing has a cancel button; activating and terminating ask first', async () => {
    const { page, errors, close } = await signedIn(/Loïc BÉRANGER/, '/back-office/contrats');
    try {
      await page.getByRole('heading', { level: 1, name: 'Contrats d’adhésion à traiter' }).waitFor();
      await page.getByRole('button', { name: /^Refuser/ }).first().click();
      await page.getByRole('button', { name: /^Annuler — / }).click();
      await page.getByRole('button', { name: /^Refuser/ }).first().click();
      await page.getByRole('button', { name: /^Confirmer le refus/ }).click();
      await page.getByText('Ce champ est obligatoire.').waitFor();
      expect(await dialog(page).count()).toBe(0);
      await page.getByLabel('Motif du refus').fill('Pièce illisible');
      await page.getByRole('button', { name: /^Confirmer le refus/ }).click();
      await dialog(page).getByText(/« Pièce illisible »/).waitFor();
      await checked(page, 'confirm-refuse');
      await dialog(page).getByRole('button', { name: 'Annuler' }).click();
      await page.waitForFunction(() => document.querySelector('dialog[open]') === null);
      await page.getByRole('button', { name: /^Annuler — / }).click();

      await page.getByRole('button', { name: /^Activer/ }).first().click();
      await dialog(page).getByText(/ne peut pas être annulée/).waitFor();
      await checked(page, 'confirm-activate');
      await dialog(page).getByRole('button', { name: 'Activer', exact: true }).click();
      await page.getByText(/est actif/).waitFor();
      expect(await focusedText(page)).toMatch(/est actif/);

      const terminate = page.getByRole('button', { name: /^Résilier — OCEANE/ });
      await terminate.first().click();
      await dialog(page).getByText(/ne peut pas être annulée/).waitFor();
      await dialog(page).getByRole('button', { name: 'Résilier', exact: true }).click();
      await dialog(page).getByText('Ce champ est obligatoire.').waitFor();
      await dialog(page).getByLabel('Motif de la résiliation').fill('Fin d’activité');
      await checked(page, 'confirm-terminate');
      await dialog(page).getByRole('button', { name: 'Résilier', exact: true }).click();
      await page.getByText(/est résilié/).waitFor();
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);

  it('gestionnaire: ending a situation asks for a reason (none pre-selected), at 375 px too', async () => {
    const { page, errors, close } = await signedIn(/Anne-Sophie LEFÈVRE/, '/professionnels', { width: 375, height: 800 });
    try {
      await page.getByRole('link', { name: /GU[ÉE]RIN/i }).first().click();
      await page.getByRole('heading', { level: 1 }).waitFor();
      await page.getByRole('button', { name: /^Terminer/ }).first().click();
      await dialog(page).getByRole('heading', { name: /Terminer la situation/ }).waitFor();
      expect(await dialog(page).locator('select').inputValue()).toBe('');
      await checked(page, 'confirm-end-situation-375');
      await dialog(page).getByRole('button', { name: 'Terminer la situation' }).click();
      await dialog(page).getByText('Choisissez le motif de fin.').waitFor();
      await dialog(page).locator('input[type=date]').fill(todayOf(systemClock));
      await dialog(page).locator('select').selectOption('departure');
      await dialog(page).getByRole('button', { name: 'Terminer la situation' }).click();
      await page.getByText('Modification enregistrée.').waitFor();
      await page.waitForFunction(() => document.activeElement?.textContent?.includes('Modification enregistrée'));
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, 60_000);
});
