import { fr } from '@codegouvfr/react-dsfr';
import { Alert } from '@codegouvfr/react-dsfr/Alert';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Tag } from '@codegouvfr/react-dsfr/Tag';
import { useParams } from 'react-router-dom';
import { useResource } from '../../api/useResource.ts';
import { paths } from '../../app/routes.ts';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { type DirectoryPractitioner, directoryPaths, displayName, practitionerUrl } from './api.ts';
import { directoryTexts } from './texts.ts';

const t = directoryTexts.card;

/** A professional's public card: exercise name, identifiers and active situations. */
export function DirectoryCardPage() {
  const { rpps = '' } = useParams();
  const result = useResource<DirectoryPractitioner>(/^\d{11}$/.test(rpps) ? practitionerUrl(rpps) : null);
  const notFound = !/^\d{11}$/.test(rpps) || result.status === 'error';
  usePageTitle(result.status === 'success' ? t.pageTitle(displayName(result.data)) : notFound ? `${t.notFoundTitle} — ${directoryTexts.search.pageTitle}` : t.loading);

  return (
    <>
      <Breadcrumb
        currentPageLabel={result.status === 'success' ? displayName(result.data) : notFound ? t.notFoundTitle : t.loading}
        homeLinkProps={{ to: paths.home }}
        segments={[{ label: t.breadcrumbSearch, linkProps: { to: directoryPaths.search } }]}
      />
      {result.status === 'loading' && <p role="status">{t.loading}</p>}
      {notFound && (
        <>
          <h1>{t.notFoundTitle}</h1>
          <Alert severity="warning" as="h2" title={t.notFoundTitle} description={t.notFoundDesc} />
        </>
      )}
      {result.status === 'success' && (
        <>
          <h1>{displayName(result.data)}</h1>
          <p>{t.identifiers(result.data.rpps, result.data.idnps)}</p>
          <h2>{t.situations}</h2>
          {result.data.situations.length === 0 && <p>{t.noSituation}</p>}
          <ul className={fr.cx('fr-raw-list')}>
            {result.data.situations.map((s) => (
              <li key={s.id} className={fr.cx('fr-mb-3w')}>
                <h3 className={fr.cx('fr-h6', 'fr-mb-1w')}>{s.egName ?? s.egFiness}</h3>
                <p className={fr.cx('fr-mb-1w')}>
                  {[s.professionLabel, s.roleLabel].filter(Boolean).join(' — ')}
                  {s.startDate ? ` — ${t.since(s.startDate)}` : ''}
                </p>
                <ul className={fr.cx('fr-tags-group')}>
                  {s.egFiness && <li><Tag small>{`FINESS ${s.egFiness}`}</Tag></li>}
                  {s.modeCode === 'S' && <li><Tag small>{t.salaried}</Tag></li>}
                </ul>
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
