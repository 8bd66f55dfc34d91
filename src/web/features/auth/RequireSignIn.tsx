import { useEffect } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router-dom';
import { paths } from '../../app/routes.ts';
import { refreshSession, useSession } from './session.ts';
import { authTexts } from './texts.ts';

/**
 * The pages of signed-in people: a signed-out visitor (never signed in, or whose session ended)
 * is sent to the sign-in page, which brings him back here afterwards (`retour`).
 */
export function RequireSignIn() {
  const { pathname, search } = useLocation();
  const state = useSession();
  useEffect(() => {
    // Ask the server on every protected page: the session may have ended (idle time, elsewhere).
    void refreshSession();
  }, [pathname]);
  if (state.status === 'loading') return <p aria-live="polite">{authTexts.mySpace.loading}</p>;
  if (state.status === 'ready' && state.session.kind !== 'person') {
    return <Navigate replace to={`${paths.signIn}?retour=${encodeURIComponent(pathname + search)}`} />;
  }
  return <Outlet />;
}
