import { createElement, type ReactNode, useEffect, useSyncExternalStore } from 'react';
import { getJson } from '../../api/client.ts';
import { preregistrationApi } from './api.ts';
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

/** Pending requests of the caller's scope, polled every minute while `enabled` (a person who handles the queue). */
export function usePendingCount(enabled: boolean): number {
  const count = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    () => pending,
  );
  useEffect(() => {
    if (!enabled) return;
    void refreshPendingCount();
    const timer = setInterval(() => void refreshPendingCount(), 60_000);
    return () => clearInterval(timer);
  }, [enabled]);
  return enabled ? count : 0;
}

/** "Demandes à traiter", with a badge saying how many wait (read out in words to screen readers). */
export function queueLabel(count: number): ReactNode {
  if (count <= 0) return preregistrationTexts.nav.queue;
  return createElement(
    'span',
    null,
    preregistrationTexts.nav.queue,
    ' ',
    createElement(
      'span',
      { className: 'fr-badge fr-badge--sm fr-badge--new', 'data-testid': 'pending-badge' },
      createElement('span', { 'aria-hidden': true }, String(count)),
      createElement('span', { className: 'fr-sr-only' }, preregistrationTexts.badge(count)),
    ),
  );
}
