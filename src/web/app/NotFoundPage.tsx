import { fr } from '@codegouvfr/react-dsfr';
import { Link } from 'react-router-dom';
import { paths } from './routes.ts';
import { appTexts } from './texts.ts';
import { usePageTitle } from './usePageTitle.ts';

const t = appTexts.notFound;

/** DSFR "page d'erreur 404" pattern. */
export function NotFoundPage() {
  usePageTitle(t.title);
  return (
    <div className={fr.cx('fr-grid-row', 'fr-grid-row--center', 'fr-grid-row--middle', 'fr-my-7w')}>
      <div className={fr.cx('fr-col-12', 'fr-col-md-8')}>
        <h1>{t.title}</h1>
        <p className={fr.cx('fr-text--sm', 'fr-mb-3w')}>{t.code}</p>
        <p className={fr.cx('fr-text--lead', 'fr-mb-3w')}>{t.lead}</p>
        <p className={fr.cx('fr-text--sm', 'fr-mb-5w')}>{t.body}</p>
        <ul className={fr.cx('fr-btns-group', 'fr-btns-group--inline-md')}>
          <li>
            <Link className={fr.cx('fr-btn')} to={paths.home}>
              {t.home}
            </Link>
          </li>
          <li>
            <Link className={fr.cx('fr-btn', 'fr-btn--secondary')} to={paths.structures}>
              {t.search}
            </Link>
          </li>
        </ul>
      </div>
    </div>
  );
}
