import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { useEffect } from 'react';
import { paths } from '../../app/routes.ts';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { TaskList } from '../my-space/TaskList.tsx';
import { mySpaceTexts } from '../my-space/texts.ts';
import { OnboardingHome } from '../onboarding/OnboardingHome.tsx';
import { StructureName } from '../structures/StructureName.tsx';
import { refreshSession, signOut, useSession } from './session.ts';
import { authTexts } from './texts.ts';

const t = authTexts.mySpace;

/** The protected page: shows who is signed in, as the server resolves him on this request. */
export function MySpacePage() {
  usePageTitle(t.pageTitle);
  const state = useSession();
  useEffect(() => {
    // Always ask the server: the page must never show a session that ended (logout, back button).
    void refreshSession();
  }, []);

  if (state.status === 'loading') return <p aria-live="polite">{t.loading}</p>;
  if (state.status === 'error') return <Alert severity="error" small description={t.error} />;
  const session = state.session;
  if (session.kind !== 'person') {
    return (
      <>
        <h1>{t.title}</h1>
        <Alert as="h2" className={fr.cx('fr-mb-3w')} severity="warning" title={t.anonymousTitle} description={t.anonymous} />
        <Button linkProps={{ to: `${paths.signIn}?retour=${encodeURIComponent(paths.mySpace)}` }}>{authTexts.quickAccess.signIn}</Button>
      </>
    );
  }
  const authMode = typeof session.identity.authMode === 'string' ? session.identity.authMode : undefined;
  const birthdate = typeof session.identity.birthdate === 'string' ? session.identity.birthdate : undefined;
  return (
    <>
      <h1>{t.title}</h1>
      <p className={fr.cx('fr-text--lead', 'fr-mb-1w')}>
        {mySpaceTexts.hello}, <span className="my-space-wrap" data-testid="my-space-name">{`${session.givenName} ${session.familyName}`}</span>
      </p>
      <p className={fr.cx('fr-badge', 'fr-badge--info', 'fr-mb-3w')}>{t.signedInWith[session.provider]}</p>
      <TaskList />
      <section aria-labelledby="identity-title" className={fr.cx('fr-mb-4w')}>
        <h2 id="identity-title" className={fr.cx('fr-h4')}>
          {t.identity}
        </h2>
        <dl data-testid="signed-in-identity">
          <dt className={fr.cx('fr-text--bold')}>{t.familyName}</dt>
          <dd className="my-space-wrap">{session.familyName}</dd>
          <dt className={fr.cx('fr-text--bold')}>{t.givenName}</dt>
          <dd className="my-space-wrap">{session.givenName}</dd>
          {session.idnps && (
            <>
              <dt className={fr.cx('fr-text--bold')}>{t.idnps}</dt>
              <dd>{session.idnps}</dd>
            </>
          )}
          {authMode && (
            <>
              <dt className={fr.cx('fr-text--bold')}>{t.authMode}</dt>
              <dd>{t.authModes[authMode] ?? authMode}</dd>
            </>
          )}
          {birthdate && (
            <>
              <dt className={fr.cx('fr-text--bold')}>{t.birthdate}</dt>
              <dd>{new Date(`${birthdate}T00:00:00`).toLocaleDateString('fr-FR')}</dd>
            </>
          )}
        </dl>
      </section>
      <section aria-labelledby="roles-title" className={fr.cx('fr-mb-4w')}>
        <h2 id="roles-title" className={fr.cx('fr-h4')}>
          {t.roles}
        </h2>
        {session.roles.length === 0 ? (
          <p>{t.noRole}</p>
        ) : (
          <ul>
            {session.roles.map((r) => (
              <li key={`${r.role}-${r.ejFiness}-${r.egFiness}`}>
                {t.roleLabels[r.role] ?? r.role}
                {r.egFiness ? (
                  <>
                    {` — ${t.eg} `}
                    <StructureName finess={r.egFiness} />
                  </>
                ) : r.ejFiness ? (
                  <>
                    {` — ${t.ej} `}
                    <StructureName finess={r.ejFiness} />
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </section>
      <OnboardingHome />
      <Button priority="secondary" iconId="fr-icon-logout-box-r-line" onClick={() => void signOut()}>
        {t.signOut}
      </Button>
    </>
  );
}
