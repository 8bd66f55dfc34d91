import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { todayOf } from '../../src/server/calendar.ts';
import { systemClock } from '../../src/server/context.ts';
import { outboxMailer } from '../../src/server/mail/mailer.ts';
import { mailSendJob } from '../../src/server/mail/service.ts';
import { bulkImportBatchJob } from '../../src/server/modules/bulk-import/jobs.ts';
import { toCsv, toXlsx, validRow } from '../../src/server/modules/bulk-import/testing.ts';
import { verifyIdentityJob } from '../../src/server/modules/register/jobs.ts';
import { axeViolations, openPage, screenshot, skipBrowserTests } from './support/browser.ts';
import { browserTimeouts } from './support/timeouts.ts';
import { type BrowserStack, startBrowserStack } from './support/stack.ts';
import { clickMenuLink } from './support/navigation.ts';

/** Issue 10: a gestionnaire imports a file in Chromium (dry-run report, declarations, progress to the end), then sees the dashboard; axe-clean. */
describe.skipIf(skipBrowserTests)('bulk import in Chromium', () => {
  let stack: BrowserStack;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    stack = await startBrowserStack({
      env: { BULK_IMPORT_BATCH_SIZE: '5' },
      jobs: ({ database, queue, mail }) => [
        mailSendJob({ db: database.db, mailer: outboxMailer, clock: systemClock }),
        verifyIdentityJob({ db: database.db, clock: systemClock }),
        bulkImportBatchJob({ db: database.db, clock: systemClock, config: database.config, jobs: queue, mail: { queueMail: (...a) => mail().queueMail(...a) } }),
      ],
    });
    ({ browser, baseUrl } = stack);
  }, browserTimeouts.stackMs);

  afterAll(async () => stack?.close());

  it('checks the file, shows the errors as a table, imports the valid rows with a progress bar', async () => {
    const { page, errors, close } = await openPage(browser, baseUrl);
    try {
      await page.goto('/connexion');
      await page.getByRole('link', { name: 'Se connecter avec Pro Santé Connect' }).click();
      await page.waitForURL(/\/dev-idp\/psc\/interaction\//);
      await page.getByRole('button', { name: /Anne-Sophie LEF/ }).click();
      await page.waitForURL(/\/mon-espace$/);

      await clickMenuLink(page, 'Import en masse');
      await page.getByRole('heading', { level: 1, name: 'Import en masse de professionnels' }).waitFor();
      await page.locator('select option[value="690800123"]').waitFor({ state: 'attached' });
      expect(await axeViolations(page)).toEqual([]);
      // The lists of valid codes are offered for download, one per coded column.
      expect(await page.getByRole('link', { name: /Professions \(colonne « Profession »\)/ }).getAttribute('href')).toBe('/api/bulk-imports/codes/professions');
      expect(await page.getByRole('link', { name: /Communes, code INSEE/ }).getAttribute('href')).toBe('/api/bulk-imports/codes/communes');

      const start = todayOf(systemClock);
      const rows = Array.from({ length: 12 }, (_, i) => validRow(500 + i, i % 2 ? '690800206' : '690800388', { startDate: start }));
      rows[4] = { ...rows[4], email: 'pas-une-adresse' };
      await page.locator('input[type=file]').setInputFiles({ name: 'equipe.csv', mimeType: 'text/csv', buffer: toCsv(rows) });
      await page.getByRole('button', { name: 'Vérifier le fichier' }).click();
      await page.getByText('12 ligne(s) lue(s) : 11 valide(s), 1 en erreur.').waitFor();
      const table = page.getByRole('table');
      await expect.poll(() => table.locator('tbody tr').count(), { timeout: browserTimeouts.actionMs }).toBe(1);
      // The row names its person: birth name and first first name (issue 17).
      expect(await table.locator('tbody tr td').allTextContents()).toEqual(['6', `${rows[4]!.birthName} ${rows[4]!.firstNames!.split(',')[0]}`, 'Adresse électronique', expect.stringContaining('n’est pas valide')]);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'bulk-import-report');

      // Unticked by default: the rows would become requests to validate; one box alone is refused.
      await page.getByText(/Sans déclaration : les 11 ligne\(s\) valide\(s\) deviendront des demandes à valider/).waitFor();
      await page.getByText('Je certifie que les données sont exactes', { exact: false }).click();
      await page.getByText('Cochez les deux déclarations pour enregistrer directement, ou aucune pour créer des demandes à valider.').waitFor();
      expect(await page.getByRole('button', { name: 'Importer les 11 ligne(s) valide(s)' }).isDisabled()).toBe(true);
      expect(await axeViolations(page)).toEqual([]);
      await page.getByText('J’ai rencontré chaque professionnel en personne.').click();
      await page.getByText(/Avec les deux déclarations : les 11 ligne\(s\) valide\(s\) seront enregistrées directement/).waitFor();
      await page.getByRole('button', { name: 'Importer les 11 ligne(s) valide(s)' }).click();
      await page.getByRole('heading', { name: 'Import terminé' }).waitFor({ timeout: 60_000 });
      await page.getByText(/11 professionnel\(s\) enregistré\(s\) ; 0 ligne\(s\) en échec/).waitFor();
      expect(await page.locator('progress').getAttribute('value')).toBe('11');
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'bulk-import-done');

      // The structure's dashboard now counts them; every figure is a table (with a CSV export).
      await clickMenuLink(page, 'Tableau de bord');
      await page.getByRole('heading', { level: 1, name: 'Tableau de bord de la structure' }).waitFor();
      const byRole = page.getByRole('table').filter({ hasText: 'Professionnels actifs par rôle' });
      await byRole.waitFor();
      expect(await byRole.locator('tbody tr td').last().textContent()).toBe('11');
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'dashboard');

      // The same page without declarations, with an Excel file: one request per row, in the queue.
      await clickMenuLink(page, 'Import en masse');
      await page.getByRole('heading', { level: 1, name: 'Import en masse de professionnels' }).waitFor();
      await page.locator('select option[value="690800123"]').waitFor({ state: 'attached' });
      const requests = Array.from({ length: 3 }, (_, i) => validRow(600 + i, '690800206', { startDate: start }));
      await page.locator('input[type=file]').setInputFiles({ name: 'demandes.xlsx', mimeType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', buffer: await toXlsx(requests, { typed: true }) });
      await page.getByRole('button', { name: 'Vérifier le fichier' }).click();
      await page.getByText('3 ligne(s) lue(s) : 3 valide(s), 0 en erreur.').waitFor();
      await page.getByText(/Sans déclaration : les 3 ligne\(s\) valide\(s\) deviendront des demandes à valider/).waitFor();
      await page.getByRole('button', { name: 'Importer les 3 ligne(s) valide(s)' }).click();
      await page.getByRole('heading', { name: 'Import terminé' }).waitFor({ timeout: 60_000 });
      await page.getByText(/3 demande\(s\) à valider créée\(s\)/).waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await clickMenuLink(page, 'Demandes à traiter');
      await page.getByRole('heading', { level: 1, name: 'Demandes à traiter' }).waitFor();
      await expect.poll(() => page.getByRole('main').getByText('Import en masse', { exact: true }).count(), { timeout: browserTimeouts.actionMs }).toBe(3);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'bulk-import-requests');
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, browserTimeouts.testMs);
});
