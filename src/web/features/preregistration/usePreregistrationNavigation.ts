import type { MainNavigationProps } from '@codegouvfr/react-dsfr/MainNavigation';
import { createElement, useEffect, useSyncExternalStore } from 'react';
import { useLocation } from 'react-router-dom';
import { getJson } from '../../api/client.ts';
import { useSession } from '../auth/session.ts';
import { myRecordTexts } from '../my-record/texts.ts';
import { preregistrationApi, preregistrationPaths } from './api.ts';
import { preregistrationTexts } from './texts.ts';

/** The number of pending requests (badge), shared by the header and refreshed after a decision. */
let pending = 0;
const listeners = new Set<() => void>();
export async function refreshPendingCount() {
  try {
    pending = (await getJson<{ pending: number }>(`${preregistrationApi}/queue/count`)).pending;
  } catch {
    pending = 0;
  }
  for (const l of listeners) l();
}
const usePendingCount = () =>
  useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => pending,
  );

const handles = (roles: Array<{ role: string }>) => roles.some((r) => ['gestionnaire', 'legal_representative', 'operator'].includes(r.role));

/** Header items: "Je me pré-enregistre" for the public and professionals, "Demandes à traiter" (with its badge) for gestionnaires. */
export function usePreregistrationNavigation(): MainNavigationProps.Item[] {
  const state = useSession();
  const { pathname } = useLocation();
  const count = usePendingCount();
  const gestionnaire = state.status === 'ready' && state.session.kind === 'person' && handles(state.session.roles);
  useEffect(() => {
    if (!gestionnaire) return;
    void refreshPendingCount();
    const timer = setInterval(() => void refreshPendingCount(), 60_000);
    return () => clearInterval(timer);
  }, [gestionnaire]);
  if (state.status !== 'ready') return [];
  if (gestionnaire) {
    const text =
      count > 0
        ? createElement(
            'span',
            null,
            preregistrationTexts.nav.queue,
            ' ',
            createElement('span', { className: 'fr-badge fr-badge--sm fr-badge--new', 'data-testid': 'pending-badge' }, createElement('span', { 'aria-hidden': true }, String(count)), createElement('span', { className: 'fr-sr-only' }, preregistrationTexts.badge(count))),
          )
        : preregistrationTexts.nav.queue;
    return [{ text, linkProps: { to: preregistrationPaths.queue }, isActive: pathname.startsWith(preregistrationPaths.queue) }];
  }
  // A registered professional (PSC, IDNPS = "8" + RPPS) reaches his own record.
  if (state.session.kind === 'person' && state.session.provider === 'psc' && /^8\d{11}$/.test(state.session.idnps ?? '')) {
    return [
      { text: myRecordTexts.nav, linkProps: { to: '/mon-dossier-rpps' }, isActive: pathname === '/mon-dossier-rpps' },
      { text: myRecordTexts.navAccess, linkProps: { to: '/mes-acces' }, isActive: pathname === '/mes-acces' },
      { text: myRecordTexts.navEcps, linkProps: { to: '/e-cps/activation' }, isActive: pathname === '/e-cps/activation' },
    ];
  }
  const franceConnected = state.session.kind === 'person' && state.session.provider === 'franceconnect';
  if (state.session.kind === 'anonymous' || franceConnected) {
    return [{ text: franceConnected ? preregistrationTexts.nav.mine : preregistrationTexts.nav.entry, linkProps: { to: preregistrationPaths.entry }, isActive: pathname === preregistrationPaths.entry }];
  }
  return [];
}
