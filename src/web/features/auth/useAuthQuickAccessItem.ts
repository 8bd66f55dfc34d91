import type { HeaderProps } from '@codegouvfr/react-dsfr/Header';
import { paths } from '../../app/routes.ts';
import { signOut, useSession } from './session.ts';
import { authTexts as t } from './texts.ts';

/** Header quick-access items: "Se connecter", or the signed-in person and "Se déconnecter". */
export function useAuthQuickAccessItems(): HeaderProps.QuickAccessItem[] {
  const state = useSession();
  if (state.status === 'ready' && state.session.kind === 'person') {
    const { givenName, familyName } = state.session;
    return [
      { iconId: 'fr-icon-account-circle-line', text: `${givenName} ${familyName}`, linkProps: { to: paths.mySpace } },
      { iconId: 'fr-icon-logout-box-r-line', text: t.quickAccess.signOut, buttonProps: { onClick: () => void signOut() } },
    ];
  }
  return [{ iconId: 'fr-icon-lock-line', text: t.quickAccess.signIn, linkProps: { to: paths.signIn } }];
}
