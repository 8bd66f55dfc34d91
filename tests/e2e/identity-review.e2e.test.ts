import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresFileStore } from '../../src/server/files/store.ts';
import { createRegisterService } from '../../src/server/modules/register/service.ts';
import { actor, distinctRegistration, scope } from '../../src/server/modules/register/testing.ts';
import { checkPage, openPage, signInWithPsc, skipBrowserTests } from './support/browser.ts';
import { type BrowserStack, startBrowserStack } from './support/stack.ts';

/** Issue 15, hole 6: the ANS reviewer opens the copy of the identity document from the review screen. */
describe.skipIf(skipBrowserTests)('identity review in Chromium', () => {
  let stack: BrowserStack;
  let browser: Browser;
  let baseUrl: string;
  let rpps: string;

  beforeAll(async () => {
    stack = await startBrowserStack();
    ({ browser, baseUrl } = stack);
    const { db, config } = stack.database;
    const clock = { now: () => new Date() };
    const registered = await createRegisterService({ db, clock, config }).registerProfessional(actor, scope, distinctRegistration(4711));
    rpps = registered.rpps;
    await db.transaction().execute(async (trx) => {
      const copy = await postgresFileStore.put(trx, { purpose: 'identity-document', contentType: 'application/pdf', originalName: 'cni.pdf', content: Buffer.from('%PDF-1.4\n%%EOF\n'), createdBy: 'test' }, clock.now());
      await trx.updateTable('person').set({ identityDocumentId: copy.id, identityStatus: 'to_review' }).where('rpps', '=', rpps).execute();
    });
  }, 120_000);
  afterAll(async () => stack?.close());

  it('shows a link to the copy, which opens the PDF; the page passes axe', async () => {
    const { page, errors, close } = await openPage(browser, baseUrl);
    try {
      await signInWithPsc(page, /BÉRANGER/);
      await page.goto('/identites-a-verifier');
      const link = page.getByRole('link', { name: /Voir la copie de la pièce d’identité/ });
      await link.waitFor();
      await checkPage(page, 'identity-review-document');
      const href = (await link.getAttribute('href'))!;
      expect(href).toBe(`/api/register/identity-reviews/${rpps}/identity-document`);
      const res = await page.request.get(href);
      expect([res.status(), res.headers()['content-type']]).toEqual([200, 'application/pdf']);
      expect(errors).toEqual([]);
    } finally {
      await close();
    }
  });
});
