import type { MainNavigationProps } from '@codegouvfr/react-dsfr/MainNavigation';
import { useLocation } from 'react-router-dom';
import { useSession } from '../auth/session.ts';
import { registerPaths } from './paths.ts';
import { registerTexts } from './texts.ts';

/** Who registers: a gestionnaire, a représentant légal (CDE card) or an ANS operator. */
const registers = (roles: Array<{ role: string }>) => roles.some((r) => ['gestionnaire', 'legal_representative', 'operator'].includes(r.role));

/** Header navigation items of the register, for signed-in people who may register. */
export function useRegisterNavigation(): MainNavigationProps.Item[] {
  const state = useSession();
  const { pathname } = useLocation();
  if (state.status !== 'ready' || state.session.kind !== 'person' || !registers(state.session.roles)) return [];
  const operator = state.session.roles.some((r) => r.role === 'operator');
  return [
    { text: registerTexts.nav.list, linkProps: { to: registerPaths.list }, isActive: pathname === registerPaths.list || (pathname.startsWith(`${registerPaths.list}/`) && pathname !== registerPaths.register) },
    { text: registerTexts.nav.register, linkProps: { to: registerPaths.register }, isActive: pathname === registerPaths.register },
    ...(operator ? [{ text: registerTexts.nav.reviews, linkProps: { to: registerPaths.reviews }, isActive: pathname === registerPaths.reviews }] : []),
  ];
}
