import type { HeaderProps } from '@codegouvfr/react-dsfr/Header';
import { paths } from '../../app/routes.ts';
import { signOut, useSession } from './session.ts';
import { authTexts as t } from './texts.ts';

/** Header quick-access items: "Se connecter", or the signed-in person and "Se déconnecter". */
export function useAuthQuickAccessItems(): HeaderProps.QuickAccessItem[] {
  const state = useSession();
  if (state.status === 'ready' && state.session.kind === 'person') {
    const { givenName, familyName } = state.session;
    // First given name only, and at most 36 characters: a long name must not push the
    // "République française" block aside (the full name is on "Mon espace").
    const short = `${givenName.split(' ')[0] ?? ''} ${familyName}`.trim();
    const text = short.length > 36 ? `${short.slice(0, 35)}…` : short;
    return [
      { iconId: 'fr-icon-account-circle-line', text, linkProps: { to: paths.mySpace, title: `${givenName} ${familyName} — ${t.quickAccess.mySpace}` } },
      { iconId: 'fr-icon-logout-box-r-line', text: t.quickAccess.signOut, buttonProps: { onClick: () => void signOut() } },
    ];
  }
  return [{ iconId: 'fr-icon-lock-line', text: t.quickAccess.signIn, linkProps: { to: paths.signIn } }];
}
