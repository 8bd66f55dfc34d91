import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { FranceConnectButton } from '@codegouvfr/react-dsfr/FranceConnectButton';
import { useSearchParams } from 'react-router-dom';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { ProSanteConnectButton } from './ProSanteConnectButton.tsx';
import { signInUrl } from './session.ts';
import { authTexts as t } from './texts.ts';

export function SignInPage() {
  usePageTitle(t.signIn.pageTitle);
  const [params] = useSearchParams();
  const asked = params.get('retour');
  // Only a path of this site (never another origin) is a place to come back to.
  const retour = asked && asked.startsWith('/') && !asked.startsWith('//') ? asked : '/mon-espace';
  return (
    <>
      <h1>{t.signIn.title}</h1>
      {asked && <Alert as="h2" className={fr.cx('fr-mb-3w')} severity="warning" title={t.signIn.requiredTitle} description={t.signIn.required} />}
      <Alert className={fr.cx('fr-mb-4w')} severity="info" small description={t.signIn.demo} />
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
        <section className={fr.cx('fr-col-12', 'fr-col-md-6')} aria-labelledby="staff-title">
          <h2 id="staff-title" className={fr.cx('fr-h4')}>
            {t.signIn.staffTitle}
          </h2>
          <p>{t.signIn.staffLead}</p>
          <ProSanteConnectButton url={signInUrl('psc', retour)} />
        </section>
        <section className={fr.cx('fr-col-12', 'fr-col-md-6')} aria-labelledby="pro-title">
          <h2 id="pro-title" className={fr.cx('fr-h4')}>
            {t.signIn.proTitle}
          </h2>
          <p>{t.signIn.proLead}</p>
          <FranceConnectButton url={signInUrl('franceconnect', retour)} />
        </section>
      </div>
    </>
  );
}
