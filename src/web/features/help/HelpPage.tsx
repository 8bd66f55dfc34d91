import { fr } from '@codegouvfr/react-dsfr';
import { Card } from '@codegouvfr/react-dsfr/Card';
import { Link } from 'react-router-dom';
import { paths } from '../../app/routes.ts';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { helpTexts } from './texts.ts';

const t = helpTexts.hub;

/** The help section's home: one entry per audience, the contact form, the terms of use. */
export function HelpPage() {
  usePageTitle(t.pageTitle);
  return (
    <>
      <h1>{t.title}</h1>
      <p className={fr.cx('fr-text--lead')}>{t.lead}</p>
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters', 'fr-mb-6w')}>
        {helpTexts.audiences.map((a) => (
          <div key={a.slug} className={fr.cx('fr-col-12', 'fr-col-md-4')}>
            <Card title={a.short} desc={a.lead} detail={t.guideAndFaq} linkProps={{ to: paths.helpAudience(a.slug) }} enlargeLink titleAs="h2" />
          </div>
        ))}
      </div>
      <h2>{t.contactTitle}</h2>
      <p>{t.contactText}</p>
      <ul className={fr.cx('fr-links-group')}>
        <li>
          <Link className={fr.cx('fr-link')} to={paths.helpContact}>
            {t.contactLink}
          </Link>
        </li>
        <li>
          <Link className={fr.cx('fr-link')} to={paths.cgu}>
            {t.cguLink}
          </Link>
        </li>
      </ul>
    </>
  );
}
