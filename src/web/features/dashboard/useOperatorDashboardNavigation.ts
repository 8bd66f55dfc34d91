import type { MainNavigationProps } from '@codegouvfr/react-dsfr/MainNavigation';
import { useLocation } from 'react-router-dom';
import { paths } from '../../app/routes.ts';
import { useSession } from '../auth/session.ts';
import { dashboardTexts } from './texts.ts';

/** Header item "Pilotage national", for ANS operators only (the API refuses everyone else). */
export function useOperatorDashboardNavigation(): MainNavigationProps.Item[] {
  const state = useSession();
  const { pathname } = useLocation();
  if (state.status !== 'ready' || state.session.kind !== 'person' || !state.session.roles.some((r) => r.role === 'operator')) return [];
  return [{ text: dashboardTexts.operator.nav, linkProps: { to: paths.operatorDashboard }, isActive: pathname === paths.operatorDashboard }];
}
