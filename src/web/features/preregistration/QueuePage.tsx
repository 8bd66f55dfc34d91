import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Badge } from '@codegouvfr/react-dsfr/Badge';
import { Link } from 'react-router-dom';
import { ApiError } from '../../api/client.ts';
import { useResource } from '../../api/useResource.ts';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { preregistrationApi, preregistrationPaths, type RequestView } from './api.ts';
import { formatDate, preregistrationTexts } from './texts.ts';

const t = preregistrationTexts.queue;
const fullName = (r: RequestView) => `${r.etatCivil.firstNames.join(' ')} ${r.etatCivil.usageName ?? r.etatCivil.birthName}`;

/** "Demandes à traiter": pending pre-registrations of the gestionnaire's scope, oldest first. */
export function QueuePage() {
  usePageTitle(t.pageTitle);
  const list = useResource<{ items: RequestView[] }>(`${preregistrationApi}/queue`);
  return (
    <>
      <h1>{t.title}</h1>
      <p className={fr.cx('fr-text--lead')}>{t.lead}</p>
      {list.status === 'loading' && <p aria-live="polite">{t.loading}</p>}
      {list.status === 'error' && <Alert as="h2" severity="error" title={t.errorTitle} description={list.error instanceof ApiError && list.error.status === 403 ? t.forbidden : list.error.message} />}
      {list.status === 'success' && list.data.items.length === 0 && <Alert severity="info" small description={t.empty} />}
      {list.status === 'success' && list.data.items.length > 0 && (
        <ul className={fr.cx('fr-raw-list')}>
          {list.data.items.map((r) => (
            <li key={r.id} className={fr.cx('fr-mb-2w', 'fr-p-2w')} style={{ border: '1px solid var(--border-default-grey)' }}>
              <h2 className={fr.cx('fr-h6', 'fr-mb-1w')}>
                <Link to={preregistrationPaths.decision(r.id)} aria-label={t.open(fullName(r))}>
                  {fullName(r)}
                </Link>
              </h2>
              <p className={fr.cx('fr-mb-1w')}>
                {r.situation.egName ?? r.situation.egFiness} — né(e) le {formatDate(r.etatCivil.birthDate)}
              </p>
              <Badge severity={r.ageDays >= 7 ? 'warning' : 'new'} small>
                {t.age(r.ageDays)}
              </Badge>
              {r.source === 'bulk-import' && (
                <Badge severity="info" small className={fr.cx('fr-ml-1w')}>
                  {t.fromFile}
                </Badge>
              )}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
