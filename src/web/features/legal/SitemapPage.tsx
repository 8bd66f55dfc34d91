import { fr } from '@codegouvfr/react-dsfr';
import { Link } from 'react-router-dom';
import { paths } from '../../app/routes.ts';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { onboardingTexts } from '../onboarding/texts.ts';
import { preregistrationTexts } from '../preregistration/texts.ts';
import { helpTexts } from '../help/texts.ts';
import { legalTexts } from './texts.ts';

const t = legalTexts.sitemap;

export function SitemapPage() {
  usePageTitle(t.pageTitle);
  return (
    <>
      <h1>{t.title}</h1>
      <nav aria-label={t.title} className={fr.cx('fr-mb-6w')}>
        <ul>
          <li>
            <Link to={paths.home}>{t.home}</Link>
            <ul>
              <li>
                <Link to={paths.structures}>{t.structures}</Link>
              </li>
              <li>
                <Link to={paths.directory}>{t.directory}</Link>
              </li>
              <li>
                <Link to={paths.accessMatrix}>{t.accessMatrix}</Link>
              </li>
              <li>
                <Link to={paths.contractRequest}>{onboardingTexts.request.pageTitle}</Link>
              </li>
              <li>
                <Link to={paths.preregistration}>{preregistrationTexts.entry.pageTitle}</Link>
              </li>
            </ul>
          </li>
          <li>
            <Link to={paths.help}>{helpTexts.hub.title}</Link>
            <ul>
              {helpTexts.audiences.map((a) => (
                <li key={a.slug}>
                  <Link to={paths.helpAudience(a.slug)}>{a.title}</Link>
                </li>
              ))}
              <li>
                <Link to={paths.helpContact}>{helpTexts.contact.title}</Link>
              </li>
              <li>
                <Link to={paths.cgu}>{helpTexts.cgu.pageTitle}</Link>
              </li>
            </ul>
          </li>
          <li>
            <Link to={paths.legalNotice}>{t.legalNotice}</Link>
          </li>
          <li>
            <Link to={paths.personalData}>{t.personalData}</Link>
          </li>
          <li>
            <Link to={paths.accessibility}>{t.accessibility}</Link>
          </li>
          <li>
            <Link to={paths.sitemap} aria-current="page">
              {t.sitemap}
            </Link>
          </li>
          <li>
            <a href="/api/docs">{t.apiDocs}</a>
          </li>
        </ul>
      </nav>
    </>
  );
}
