import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { upsertAccount } from '../../../src/server/auth/accounts.ts';
import { systemClock } from '../../../src/server/context.ts';
import { pscSubject } from '../../../src/server/dev-idp/identities.ts';
import { demo } from '../../../src/server/modules/onboarding/testing.ts';
import { seedDemoIdentities } from '../../../src/server/modules/register/demo-identities.ts';
import { seedDemoProfessionals } from '../../../src/server/modules/register/demo.ts';
import { paths } from '../../../src/web/app/routes.ts';
import { checkPage, openPage, type WatchedPage } from './browser.ts';
import { type BrowserStack, demoSeedDeps } from './stack.ts';
import { browserTimeouts } from './timeouts.ts';

/**
 * Every route of the web app (every-route.e2e.test.ts, every-route-staff.e2e.test.ts: two files, so
 * that the two workers share the walk), for every role that reaches it (the menu, "Mon espace", a link or a
 * bookmark), as the RGAA-minded auditor walks them: each page at 1280 and 375 px with axe (WCAG
 * 2.1 A/AA), no console error or warning, no failed request to the app's own API, a French
 * <title> of its own, one <h1> and no skipped heading level, every field in error tied to its
 * message, every control of the page reached with the Tab key, and the skip link to the content.
 * The public pages of pages.e2e.test.ts count as visited; a route of router.tsx that nobody visits
 * fails the last test (a new page must be added here).
 */

/** The demo identities (fixtures/identities.json); card holders have an IDNPS "3" + FINESS. */
const pro = { idnps: demo.idnps.professional, rpps: '10003333449' };
const cardWithoutRpps = '3690800206/AS0007';
const ej = demo.ej;

/**
 * A page to visit; `expect`: a text it must show once loaded; `notFound`: it shows a thing that does
 * not exist, whose API answer is rightly a 404 (which the browser logs): that one is not a problem;
 * `stateTitle`: its title names a state shared by several addresses ("Accès réservé"), not the page.
 */
export type Visit = { path: string | ((ids: Ids) => string); expect?: string | RegExp; notFound?: RegExp; stateTitle?: true };
export interface Ids {
  preregistration: string;
}
export interface Role {
  name: string;
  /** A PSC sign-in (a session opened in the store) or the FranceConnect identity signed in through the embedded provider. */
  as: { idnps: string } | { franceConnect: RegExp } | null;
  visits: Visit[];
}

const registrarPages: Visit[] = [
  { path: paths.mySpace },
  { path: paths.professionals },
  { path: paths.professional(pro.rpps) },
  { path: paths.registerProfessional },
  { path: paths.addSituation },
  { path: paths.bulkImport },
  { path: paths.dashboard },
  { path: paths.preregistrationQueue },
  { path: (ids) => `${paths.preregistrationQueue}/${ids.preregistration}` },
  { path: paths.contractRequest },
];
/** A staff member without a record of his own: a plain state, not an error (issue of the a11y review). */
const noRecordPages: Visit[] = [
  { path: paths.myRecord, expect: 'Aucun dossier RPPS n’est rattaché à votre compte' },
  { path: paths.myAccess, expect: 'Aucun professionnel enregistré n’est rattaché à votre compte' },
];

/** A page of another audience, by its address (a bookmark, a link passed on): said at once, no refused request. */
const reserved = (path: string): Visit => ({ path, expect: 'Cette page ne fait pas partie de votre espace', stateTitle: true });

export const roles: Role[] = [
  {
    name: 'anonymous',
    as: null,
    // The public pages that pages.e2e.test.ts does not visit.
    visits: [
      // Published by a background job this stack does not run (directory.e2e.test.ts shows a published card): the not-found card.
      { path: paths.practitioner(pro.rpps), expect: 'Professionnel introuvable', notFound: /^404 GET \/api\/directory\/practitioners\/\d+$|status of 404 .*\/api\/directory\/practitioners\// },
      { path: paths.signIn },
      { path: `${paths.signInError}?raison=transaction-missing` },
      { path: paths.signedOut },
      { path: paths.contractRequest },
      { path: `${paths.situationReport}/jeton-inconnu` },
      { path: paths.help },
      { path: paths.helpAudience('gestionnaire') },
      { path: paths.helpAudience('representant-legal') },
      { path: paths.helpAudience('professionnel') },
      { path: paths.helpContact },
      { path: paths.cgu },
    ],
  },
  {
    name: 'gestionnaire-ej',
    as: { idnps: demo.idnps.gestionnaireEj },
    visits: [...registrarPages, ...noRecordPages, reserved(paths.operatorDashboard), reserved(paths.identityReviews), { path: paths.habilitations(ej), expect: 'Vous ne gérez pas les habilitations' }],
  },
  { name: 'gestionnaire-eg', as: { idnps: demo.idnps.gestionnaireEg }, visits: [...registrarPages, ...noRecordPages, { path: paths.habilitations(ej), expect: 'Vous ne gérez pas les habilitations' }] },
  { name: 'rl', as: { idnps: demo.idnps.rl }, visits: [...registrarPages, { path: paths.habilitations(ej) }] },
  { name: 'mandataire', as: { idnps: demo.idnps.mandataire }, visits: [{ path: paths.mySpace }, { path: paths.habilitations(ej) }, { path: paths.contractRequest }, reserved(paths.professionals)] },
  {
    name: 'operator',
    as: { idnps: demo.idnps.operator },
    visits: [
      { path: paths.mySpace },
      { path: paths.backOfficeContracts },
      { path: paths.identityReviews },
      { path: paths.backOfficeSupport },
      { path: paths.backOfficeOrphans },
      { path: paths.operatorDashboard },
      { path: paths.dashboard },
      { path: paths.professionals },
      { path: paths.professional(pro.rpps) },
      { path: paths.registerProfessional },
      { path: paths.addSituation },
      { path: paths.bulkImport },
      { path: paths.preregistrationQueue },
      { path: (ids) => `${paths.preregistrationQueue}/${ids.preregistration}` },
      { path: paths.habilitations(ej) },
      ...noRecordPages,
    ],
  },
  {
    name: 'professional',
    as: { idnps: pro.idnps },
    visits: [{ path: paths.mySpace }, { path: paths.myRecord, expect: `Numéro RPPS : ${pro.rpps}` }, { path: paths.myAccess, expect: 'Mon e-CPS' }, { path: paths.ecpsActivation }, reserved(paths.registerProfessional), { path: paths.dashboard }],
  },
  {
    name: 'card-without-rpps',
    as: { idnps: cardWithoutRpps },
    visits: [{ path: paths.mySpace }, { path: paths.myRecord, expect: 'Aucun dossier RPPS n’est rattaché à votre compte' }, { path: paths.myAccess, expect: 'Aucun professionnel enregistré' }],
  },
  {
    name: 'franceconnect',
    as: { franceConnect: /Angela Claire Louise DUBOIS/ },
    visits: [{ path: paths.mySpace }, { path: paths.preregistration }, { path: paths.myRecord, expect: 'Aucun dossier RPPS n’est rattaché à votre compte' }, { path: paths.myAccess, expect: 'Aucun professionnel enregistré' }, reserved(paths.professionals)],
  },
];

/** Everything the browser says went wrong on a page: console errors and warnings, page errors, the app's own failed requests. */
export function watchProblems(watched: WatchedPage, baseUrl: string): string[] {
  const problems = watched.errors;
  watched.page.on('console', (msg) => {
    if (msg.type() === 'warning') problems.push(`console.warning: ${msg.text()}`);
  });
  watched.page.on('response', (res) => {
    if (res.status() >= 400 && res.url().startsWith(baseUrl)) problems.push(`${res.status()} ${res.request().method()} ${res.url().slice(baseUrl.length)}`);
  });
  return problems;
}

/** The page has loaded its data: no "Chargement…" left in the title or in the content. */
export async function settled(page: Page): Promise<void> {
  await page.locator('main h1').first().waitFor();
  await page.waitForLoadState('networkidle');
  await page.waitForFunction(() => !document.title.startsWith('Chargement') && !/Chargement/.test(document.querySelector('main')?.textContent ?? ''));
}

/** What the DOM says of the page's structure: headings, fields in error, the title. */
export function structure(page: Page) {
  return page.evaluate(() => {
    const visible = (e: Element) => e.checkVisibility({ visibilityProperty: true });
    const headings = [...document.querySelectorAll('main h1, main h2, main h3, main h4, main h5, main h6, dialog[open] :is(h1, h2, h3, h4, h5, h6)')].filter(visible);
    const skipped: string[] = [];
    let previous = 0;
    for (const h of headings) {
      const level = Number(h.tagName[1]);
      if (previous && level > previous + 1) skipped.push(`h${previous} → h${level} « ${h.textContent?.trim().slice(0, 60)} »`);
      previous = level;
    }
    // A field shown in error (DSFR error state or aria-invalid) names its message with aria-describedby.
    const untied = [...document.querySelectorAll('.fr-input-group--error :is(input, textarea), .fr-select-group--error select, [aria-invalid="true"]')]
      .filter((field) => !(field.getAttribute('aria-describedby') ?? '').split(/\s+/).some((id) => id && document.getElementById(id)?.textContent?.trim()))
      .map((field) => field.getAttribute('name') ?? field.id);
    return { title: document.title, h1: [...document.querySelectorAll('main h1')].filter(visible).length, skipped, untied, lang: document.documentElement.lang };
  });
}

/**
 * Tab from the top of the content to its end: every visible control of the content is reached
 * (a radio group counts once, as the browser stops on one radio of a group).
 */
async function tabWalk(page: Page): Promise<string[]> {
  const controls = await page.evaluate(() => {
    const selector = 'a[href], button:not([disabled]), input:not([disabled]):not([type=hidden]), select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';
    const seenRadioGroups = new Set<string>();
    let n = 0;
    for (const el of document.querySelectorAll(`main :is(${selector})`)) {
      const html = el as HTMLElement;
      if (html.closest('[inert]') || !html.checkVisibility({ visibilityProperty: true }) || html.tabIndex < 0) continue;
      if (html instanceof HTMLInputElement && html.type === 'radio') {
        // Tab stops once in a group of radios: on the checked one, else on the first.
        if (seenRadioGroups.has(html.name)) continue;
        seenRadioGroups.add(html.name);
        const checked = document.querySelector<HTMLElement>(`input[type=radio][name="${CSS.escape(html.name)}"]:checked`);
        (checked ?? html).dataset.tabTarget = String(n++);
        continue;
      }
      html.dataset.tabTarget = String(n++);
    }
    document.querySelector<HTMLElement>('main')!.focus();
    return n;
  });
  const reached = new Set<string>();
  for (let i = 0; i < controls + 10 && reached.size < controls; i++) {
    await page.keyboard.press('Tab');
    const at = await page.evaluate(() => {
      const active = document.activeElement as HTMLElement | null;
      return active?.closest('main') ? (active.dataset.tabTarget ?? '') : null;
    });
    if (at === null) break;
    if (at) reached.add(at);
  }
  const missed = await page.evaluate(
    (got) =>
      [...document.querySelectorAll<HTMLElement>('main [data-tab-target]')]
        .filter((el) => !got.includes(el.dataset.tabTarget!))
        .map((el) => `${el.tagName.toLowerCase()} « ${(el.textContent || el.getAttribute('aria-label') || el.getAttribute('name') || '').trim().slice(0, 40)} »`),
    [...reached],
  );
  await page.evaluate(() => document.querySelectorAll<HTMLElement>('[data-tab-target]').forEach((el) => delete el.dataset.tabTarget));
  return missed;
}

/** The first Tab of a page just loaded lands on the skip links; "Contenu" moves the focus to the content. */
async function skipLinkWorks(page: Page): Promise<void> {
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => ({ inSkipLinks: !!document.activeElement?.closest('.fr-skiplinks'), href: document.activeElement?.getAttribute('href') }));
  expect(first).toEqual({ inSkipLinks: true, href: '#contenu' });
  await page.keyboard.press('Enter');
  await expect.poll(() => page.evaluate(() => document.activeElement?.id), { timeout: browserTimeouts.actionMs }).toBe('contenu');
}

export async function signIn(stack: BrowserStack, watched: WatchedPage, as: NonNullable<Role['as']>): Promise<void> {
  const { page } = watched;
  if ('franceConnect' in as) {
    await page.goto(paths.signIn);
    await page.getByRole('link', { name: /FranceConnect/ }).first().click();
    await page.waitForURL(/\/dev-idp\/franceconnect\/interaction\//);
    await page.getByRole('button', { name: as.franceConnect }).click();
    await page.waitForURL((u) => u.pathname === paths.mySpace || u.pathname === paths.preregistration);
    return;
  }
  const { app, database } = stack;
  const account = await upsertAccount(database.db, { provider: 'psc', subject: pscSubject(as.idnps), idnps: as.idnps, givenName: 'Test', familyName: 'PERSONNE' }, systemClock.now());
  const session = await app.auth.sessions.create({ accountId: account.id, provider: 'psc', idToken: null, identity: {} });
  await page.context().addCookies([
    { name: app.auth.cookies.session, value: session.token, url: stack.baseUrl },
    { name: app.auth.cookies.csrf, value: session.csrfToken, url: stack.baseUrl },
  ]);
}

/** The stack of these tests: the demo identities and professionals, as `npm start` has them; the ids pages need. */
export async function seedEveryRoute(s: BrowserStack, ids: Ids): Promise<void> {
  await seedDemoIdentities(demoSeedDeps(s));
  // The demo professionals and their two pending pre-registration requests.
  await seedDemoProfessionals(demoSeedDeps(s));
  const request = await s.database.db.selectFrom('preregistration').select('id').where('status', '=', 'pending').where('egFiness', '=', demo.eg1).executeTakeFirstOrThrow();
  ids.preregistration = request.id;
}

/** Walks every page of `role` and fails once with every problem found, page by page. */
export async function walkRole(stack: BrowserStack, role: Role, ids: Ids): Promise<void> {
  const watched = await openPage(stack.browser, stack.baseUrl);
  const problems = watchProblems(watched, stack.baseUrl);
  const { page } = watched;
  try {
    if (role.as) await signIn(stack, watched, role.as);
    const titles = new Map<string, string>();
    const found: string[] = [];
    for (const [i, visit] of role.visits.entries()) {
      const url = typeof visit.path === 'string' ? visit.path : visit.path(ids);
      problems.length = 0;
      await page.goto(url);
      await settled(page);
      // Loaded (settled): what the page must say is there now.
      if (visit.expect && (await page.locator('main').getByText(visit.expect).count()) === 0) found.push(`${role.name} ${url}: does not show « ${String(visit.expect)} »`);
      const name = `route-${role.name}-${url.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '') || 'home'}`;
      const s = await structure(page);
      const at = `${role.name} ${url}`;
      if (!/^[^\s].* — RPPS\+$/.test(s.title) || /Chargement|undefined|null/.test(s.title)) found.push(`${at}: title « ${s.title} »`);
      if (!visit.stateTitle) {
        if (titles.has(s.title) && titles.get(s.title) !== new URL(page.url()).pathname) found.push(`${at}: same title as ${titles.get(s.title)} « ${s.title} »`);
        titles.set(s.title, new URL(page.url()).pathname);
      }
      if (s.lang !== 'fr') found.push(`${at}: lang « ${s.lang} »`);
      if (s.h1 !== 1) found.push(`${at}: ${s.h1} h1`);
      for (const skip of s.skipped) found.push(`${at}: heading level skipped, ${skip}`);
      for (const field of s.untied) found.push(`${at}: field « ${field} » in error without its message (aria-describedby)`);
      // A page just loaded: the first Tab lands on the skip links.
      if (i === 0) await skipLinkWorks(page);
      for (const missed of await tabWalk(page)) found.push(`${at}: not reached with Tab: ${missed}`);
      await checkPage(page, name).catch((err: Error) => found.push(err.message));
      for (const problem of problems) if (!visit.notFound?.test(problem)) found.push(`${at}: ${problem}`);
    }
    expect(found).toEqual([]);
  } finally {
    await watched.close();
  }
}

/** The roles walked by every-route-staff.e2e.test.ts; every-route.e2e.test.ts walks the others. */
export const staffRoles = ['gestionnaire-ej', 'gestionnaire-eg', 'rl', 'operator'];
