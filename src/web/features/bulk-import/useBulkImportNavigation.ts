import type { MainNavigationProps } from '@codegouvfr/react-dsfr/MainNavigation';
import { useLocation } from 'react-router-dom';
import { useSession } from '../auth/session.ts';
import { bulkImportPath } from './api.ts';
import { dashboardTexts } from '../dashboard/texts.ts';
import { bulkImportTexts } from './texts.ts';

/** Header items (bulk import, dashboard) for the people who register (gestionnaire, représentant légal, ANS operator). */
export function useBulkImportNavigation(): MainNavigationProps.Item[] {
  const state = useSession();
  const { pathname } = useLocation();
  if (state.status !== 'ready' || state.session.kind !== 'person') return [];
  if (!state.session.roles.some((r) => ['gestionnaire', 'legal_representative', 'operator'].includes(r.role))) return [];
  return [
    { text: bulkImportTexts.nav, linkProps: { to: bulkImportPath }, isActive: pathname === bulkImportPath },
    { text: dashboardTexts.nav, linkProps: { to: '/tableau-de-bord' }, isActive: pathname === '/tableau-de-bord' },
  ];
}
