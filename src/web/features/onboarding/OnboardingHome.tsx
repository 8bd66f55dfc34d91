import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { Link } from 'react-router-dom';
import { useResource } from '../../api/useResource.ts';
import { paths } from '../../app/routes.ts';
import { type Home, onboardingApi } from './api.ts';
import { onboardingTexts } from './texts.ts';

const t = onboardingTexts.home;

/**
 * "Mon espace", per role: where the signed-in person registers and his contract requests, as the
 * server's policy says (the operator's queues are tasks of `TaskList`).
 */
export function OnboardingHome() {
  const home = useResource<Home>(onboardingApi.me);
  if (home.status === 'error') return <Alert className={fr.cx('fr-mb-3w')} severity="error" small description={home.error.message} />;
  if (home.status !== 'success') return <p aria-live="polite">{onboardingTexts.loading}</p>;
  const h = home.data;
  return (
    <section aria-labelledby="can-title" className={fr.cx('fr-mb-4w')} data-testid="onboarding-home">
      <h2 id="can-title" className={fr.cx('fr-h4')}>
        {t.title}
      </h2>
      {h.entities.map((e) => (
        <div key={e.ejFiness} className={fr.cx('fr-mb-3w')} data-testid={`entity-${e.ejFiness}`}>
          <h3 className={fr.cx('fr-h6')}>
            {e.name ?? e.ejFiness} <span className={fr.cx('fr-text--sm')}>(FINESS {e.ejFiness})</span>
          </h3>
          {e.legalRepresentative && (
            <p>
              <Badge severity="info" small noIcon>
                {t.rl}
              </Badge>
            </p>
          )}
          <p className={fr.cx('fr-mb-1w')}>{t.registerIn}</p>
          {e.registerScope.kind === 'ej' && e.legalRepresentative ? (
            <p>{t.wholeEj}</p>
          ) : (
            <ul data-testid="register-scope">
              {e.registerScope.kind === 'ej' && <li>{t.wholeEj}</li>}
              {e.registerScope.establishments.map((eg) => (
                <li key={eg.finess}>
                  {eg.name ?? eg.finess} ({eg.finess})
                </li>
              ))}
            </ul>
          )}
          {e.manageHabilitations && <Button priority="secondary" linkProps={{ to: paths.habilitations(e.ejFiness) }}>{t.manage}</Button>}
        </div>
      ))}
      {!h.operator && h.entities.length === 0 && <p>{t.nothing}</p>}
      {h.myRequests.length > 0 && (
        <>
          <h3 className={fr.cx('fr-h6')}>{t.myRequests}</h3>
          <ul>
            {h.myRequests.map((r) => (
              <li key={r.id}>
                {r.ejName ?? r.ejFiness} : {onboardingTexts.statuses[r.status] ?? r.status}
                {r.decisionReason ? ` (${r.decisionReason})` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
      <p>
        <Link className={fr.cx('fr-link')} to={paths.contractRequest}>
          {t.requestContract}
        </Link>
      </p>
    </section>
  );
}
