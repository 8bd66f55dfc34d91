import { useSyncExternalStore } from 'react';
import { csrfToken, getJson, postJson, unauthorizedEvent } from '../../api/client.ts';

/** The caller as the server sees it (GET /api/session; see src/server/modules/auth/schemas.ts). */
export type SessionInfo =
  | { kind: 'anonymous' }
  | {
      kind: 'person';
      provider: 'psc' | 'franceconnect';
      idnps: string | null;
      familyName: string;
      givenName: string;
      roles: Array<{ role: string; ejFiness: string | null; egFiness: string | null }>;
      csrfToken: string;
      identity: Record<string, unknown>;
    }
  | { kind: 'machine'; name: string; scopes: string[]; ejFiness: string | null };

type State = { status: 'loading' } | { status: 'ready'; session: SessionInfo } | { status: 'error' };

let state: State = { status: 'loading' };
const listeners = new Set<() => void>();
const emit = (next: State) => {
  state = next;
  for (const l of listeners) l();
};

let inFlight: Promise<void> | undefined;
/** Asks the server again (never trusts a cached answer: the session may have ended elsewhere). */
export function refreshSession(): Promise<void> {
  inFlight ??= getJson<SessionInfo>('/api/session')
    .then(
      (session) => emit({ status: 'ready', session }),
      () => emit({ status: 'error' }),
    )
    .finally(() => {
      inFlight = undefined;
    });
  return inFlight;
}

if (typeof window !== 'undefined') {
  // Back button after logout: a page restored from the back/forward cache re-checks the session.
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) void refreshSession();
  });
  // Any API call answered 401 means the session ended: the header must stop saying "signed in".
  window.addEventListener(unauthorizedEvent, () => {
    if (state.status === 'ready' && state.session.kind === 'person') void refreshSession();
  });
}

export function useSession(): State {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      if (listeners.size === 1 && state.status === 'loading') void refreshSession();
      return () => listeners.delete(listener);
    },
    () => state,
  );
}

/** Ends the session server-side, then leaves for the provider's logout (RP-initiated logout). */
export async function signOut(): Promise<void> {
  const current = state.status === 'ready' && state.session.kind === 'person' ? state.session.csrfToken : csrfToken();
  const { redirectTo } = await postJson<{ redirectTo: string }>('/auth/logout', undefined, current);
  emit({ status: 'ready', session: { kind: 'anonymous' } });
  window.location.assign(redirectTo);
}

export const signInUrl = (provider: 'psc' | 'franceconnect', returnTo = '/mon-espace') =>
  `/auth/${provider}/login?retour=${encodeURIComponent(returnTo)}`;
