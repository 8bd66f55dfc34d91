import type { MainNavigationProps } from '@codegouvfr/react-dsfr/MainNavigation';
import type { MenuProps } from '@codegouvfr/react-dsfr/MainNavigation/Menu';
import { useLocation } from 'react-router-dom';
import { useSession, type SessionInfo } from '../features/auth/session.ts';
import { bulkImportTexts } from '../features/bulk-import/texts.ts';
import { dashboardTexts } from '../features/dashboard/texts.ts';
import { myRecordTexts } from '../features/my-record/texts.ts';
import { queueLabel, usePendingCount } from '../features/preregistration/usePreregistrationNavigation.ts';
import { preregistrationTexts } from '../features/preregistration/texts.ts';
import { registerTexts } from '../features/register/texts.ts';
import { paths } from './routes.ts';
import { appTexts } from './texts.ts';

const t = appTexts.navigation;
type Roles = Extract<SessionInfo, { kind: 'person' }>['roles'];

/** What the menu offers a signed-in person, from the roles the server gave (the API decides anyway). */
export function menuAudience(session: SessionInfo | undefined) {
  const person = session?.kind === 'person' ? session : undefined;
  const roles: Roles = person?.roles ?? [];
  const has = (...names: string[]) => roles.some((r) => names.includes(r.role));
  const operator = has('operator');
  const registers = has('gestionnaire', 'legal_representative', 'operator');
  // The contracting entity whose habilitations he manages: the EG of a contract at EG level, else the EJ.
  const managed = [...new Set(roles.filter((r) => (r.role === 'legal_representative' || r.role === 'mandataire') && r.ejFiness).map((r) => r.egFiness ?? r.ejFiness!))];
  const professional = !registers && person?.provider === 'psc' && /^8\d{11}$/.test(person.idnps ?? '');
  return { signedIn: person !== undefined, franceConnect: person?.provider === 'franceconnect', operator, registers, managed, professional };
}

/**
 * The header's main navigation, per role (issue 17): the public pages apart from the work pages,
 * at most 6 top entries, the others in DSFR sub-menus (keyboard and screen-reader behaviour are
 * DSFR's; `isActive` marks the current page with aria-current, and its sub-menu's button).
 */
export function useMainNavigation(): MainNavigationProps.Item[] {
  const state = useSession();
  const { pathname } = useLocation();
  const session = state.status === 'ready' ? state.session : undefined;
  const who = menuAudience(session);
  const pendingCount = usePendingCount(who.registers);

  const link = (text: MenuProps.Link['text'], to: string, active = pathname === to): MenuProps.Link => ({ text, linkProps: { to }, isActive: active });
  const top = (l: MenuProps.Link): MainNavigationProps.Item => ({ text: l.text, linkProps: l.linkProps, isActive: l.isActive });
  const menu = (text: string, links: MenuProps.Link[]): MainNavigationProps.Item => ({ text, menuLinks: links, isActive: links.some((l) => l.isActive) });
  const under = (prefix: string) => pathname === prefix || pathname.startsWith(`${prefix}/`);

  const publicLinks = [
    link(t.structures, paths.structures, under(paths.structures)),
    link(t.directory, paths.directory, under(paths.directory)),
    link(t.accessMatrix, paths.accessMatrix),
  ];
  const preregistration = link(who.franceConnect ? preregistrationTexts.nav.mine : preregistrationTexts.nav.entry, paths.preregistration);

  // Anonymous visitor: nothing but public pages, at the top level.
  if (!who.signedIn) return [top(link(t.home, paths.home)), ...publicLinks.map(top), top(preregistration)];

  const items: MainNavigationProps.Item[] = [top(link(t.mySpace, paths.mySpace))];
  const queue = link(queueLabel(pendingCount), paths.preregistrationQueue, under(paths.preregistrationQueue));
  const professionalsMenu = [
    link(registerTexts.nav.list, paths.professionals, under(paths.professionals) && pathname !== paths.registerProfessional && pathname !== paths.addSituation),
    link(registerTexts.nav.register, paths.registerProfessional, pathname === paths.registerProfessional || pathname === paths.addSituation),
    link(bulkImportTexts.nav, paths.bulkImport),
  ];
  const habilitations = who.managed.map((entity) => link(who.managed.length === 1 ? t.habilitations : t.habilitationsOf(entity), paths.habilitations(entity)));

  if (who.operator) {
    items.push(
      menu(t.groups.backOffice, [
        link(t.contracts, paths.backOfficeContracts),
        link(registerTexts.nav.reviews, paths.identityReviews),
        link(t.support, paths.backOfficeSupport),
        link(t.orphans, paths.backOfficeOrphans),
      ]),
      menu(t.groups.professionals, [...professionalsMenu, queue]),
      menu(t.groups.steering, [link(dashboardTexts.operator.nav, paths.operatorDashboard), link(dashboardTexts.nav, paths.dashboard)]),
    );
  } else if (who.registers || who.managed.length > 0) {
    if (who.registers) items.push(top(queue), menu(t.groups.professionals, professionalsMenu));
    items.push(
      menu(t.groups.structure, [
        ...(who.registers ? [link(dashboardTexts.nav, paths.dashboard)] : []),
        ...habilitations,
        link(t.contractRequest, paths.contractRequest),
      ]),
    );
  } else if (who.professional) {
    items.push(top(link(myRecordTexts.nav, paths.myRecord)), top(link(myRecordTexts.navAccess, paths.myAccess)), top(link(myRecordTexts.navEcps, paths.ecpsActivation)));
  } else if (who.franceConnect) {
    items.push(top(preregistration));
  }
  items.push(menu(t.groups.public, [link(t.homeLong, paths.home), ...publicLinks]));
  return items;
}
