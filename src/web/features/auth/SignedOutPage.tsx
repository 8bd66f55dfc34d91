import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useEffect } from 'react';
import { paths } from '../../app/routes.ts';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { refreshSession } from './session.ts';
import { authTexts as t } from './texts.ts';

/** Post-logout landing page (the providers' post_logout_redirect_uri). */
export function SignedOutPage() {
  usePageTitle(t.signedOut.pageTitle);
  useEffect(() => {
    void refreshSession();
  }, []);
  return (
    <>
      <h1>{t.signedOut.title}</h1>
      <p className={fr.cx('fr-text--lead')}>{t.signedOut.lead}</p>
      <Button linkProps={{ to: paths.signIn }}>{t.signedOut.again}</Button>
    </>
  );
}
