import { createElement } from 'react';
import type { HeaderProps } from '@codegouvfr/react-dsfr/Header';
import { paths } from '../../app/routes.ts';
import { signOut, useSession } from './session.ts';
import { authTexts as t } from './texts.ts';

/** Header quick-access items: "Se connecter", or the signed-in person and "Se déconnecter". */
export function useAuthQuickAccessItems(): HeaderProps.QuickAccessItem[] {
  const state = useSession();
  if (state.status === 'ready' && state.session.kind === 'person') {
    const { givenName, familyName } = state.session;
    // First given name only; a name too long for the header is cut by CSS with an ellipsis
    // (src/web/app/layout.css), the whole text stays in the link for screen readers, and the
    // full name is in its title and on "Mon espace" (issue 17).
    const text = createElement('span', { className: 'rpps-person__name' }, `${givenName.split(' ')[0] ?? ''} ${familyName}`.trim());
    return [
      { iconId: 'fr-icon-account-circle-line', text, linkProps: { to: paths.mySpace, title: `${givenName} ${familyName} — ${t.quickAccess.mySpace}`, className: 'rpps-person' } },
      { iconId: 'fr-icon-logout-box-r-line', text: t.quickAccess.signOut, buttonProps: { onClick: () => void signOut() } },
    ];
  }
  return [{ iconId: 'fr-icon-lock-line', text: t.quickAccess.signIn, linkProps: { to: paths.signIn } }];
}
