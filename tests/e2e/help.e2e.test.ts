import { describe, expect, it } from 'vitest';
import { axeViolations, openPage, screenshot, skipBrowserTests } from './support/browser.ts';
import { useBrowserStack } from './support/stack.ts';

/** Issue 16, items 1 and 2: help reachable from every page, contact form, terms of use — with axe. */
describe.skipIf(skipBrowserTests)('help and support in Chromium', () => {
  const stack = useBrowserStack();

  it('from any page, « Aide » leads to the guides, the FAQ and the contact form, which files a request with a reference', async () => {
    const { page, errors, close } = await openPage(stack.browser, stack.baseUrl);
    try {
      await page.goto('/annuaire');
      await page.getByRole('banner').getByRole('link', { name: 'Aide' }).click();
      await page.getByRole('heading', { level: 1, name: 'Aide et assistance' }).waitFor();
      expect(await page.getByRole('contentinfo').getByRole('link', { name: 'Aide' }).count()).toBe(1);
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'help-hub');

      await page.getByRole('link', { name: /Professionnel/ }).first().click();
      await page.getByRole('heading', { level: 1, name: 'Aide aux professionnels' }).waitFor();
      await page.getByRole('heading', { name: 'Activer votre e-CPS' }).waitFor();
      await page.getByRole('button', { name: 'Je n’ai pas reçu le code SMS.' }).click();
      await page.getByText(/Le code part vers le mobile enregistré/).waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'help-professional');

      await page.goto('/aide/contact');
      await page.getByRole('heading', { level: 1, name: 'Contacter le service client RPPS+' }).waitFor();
      await page.getByRole('button', { name: 'Envoyer la demande' }).click();
      await page.getByText('Ce champ est obligatoire.').first().waitFor();
      await page.getByLabel('Vous êtes').selectOption('professionnel');
      await page.getByLabel('Sujet').selectOption('e-cps');
      await page.getByLabel('Nom et prénom').fill('Élodie Guérin');
      await page.getByLabel(/^Adresse électronique/).fill('elodie.guerin@exemple.fr');
      await page.getByLabel('Objet').fill('Code SMS non reçu');
      await page.getByLabel(/^Votre message/).fill('Je n’ai pas reçu le code SMS pour activer ma e-CPS.');
      await page.getByRole('button', { name: 'Envoyer la demande' }).click();
      await page.getByText(/Sa référence est RPPS-\d{4}-\d{6}/).waitFor();
      expect(await axeViolations(page)).toEqual([]);
      await screenshot(page, 'help-contact-sent');
      const stored = await stack.database.db.selectFrom('supportRequest').select(['reference', 'topic']).execute();
      expect(stored).toHaveLength(1);
      expect(stored[0]!.topic).toBe('e-cps');

      await page.goto('/aide/cgu');
      await page.getByText(/^Version du /).waitFor();
      await page.getByRole('heading', { name: /moyens d’identification électronique/ }).waitFor();
      expect(await axeViolations(page)).toEqual([]);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  }, 150_000);
});
