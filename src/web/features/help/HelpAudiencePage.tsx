import { fr } from '@codegouvfr/react-dsfr';
import { Accordion } from '@codegouvfr/react-dsfr/Accordion';
import { Breadcrumb } from '@codegouvfr/react-dsfr/Breadcrumb';
import { Link, useParams } from 'react-router-dom';
import { NotFoundPage } from '../../app/NotFoundPage.tsx';
import { paths } from '../../app/routes.ts';
import { appTexts } from '../../app/texts.ts';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { helpTexts } from './texts.ts';

const t = helpTexts.audience;

/** One audience's user guide (numbered steps per task) and FAQ. */
export function HelpAudiencePage() {
  const { slug } = useParams();
  const audience = helpTexts.audiences.find((a) => a.slug === slug);
  // An unknown guide is a 404: the title says so too (this effect runs after NotFoundPage's).
  usePageTitle(audience?.title ?? appTexts.notFound.title);
  if (!audience) return <NotFoundPage />;
  return (
    <>
      <Breadcrumb currentPageLabel={audience.short} segments={[{ label: helpTexts.hub.title, linkProps: { to: paths.help } }]} />
      <h1>{audience.title}</h1>
      <p className={fr.cx('fr-text--lead')}>{audience.lead}</p>
      <h2>{t.guideTitle}</h2>
      {audience.guide.map((section) => (
        <section key={section.title} className={fr.cx('fr-mb-4w')}>
          <h3>{section.title}</h3>
          <ol>
            {section.steps.map((step) => (
              <li key={step}>{step}</li>
            ))}
          </ol>
        </section>
      ))}
      <h2>{t.faqTitle}</h2>
      <div className={fr.cx('fr-accordions-group', 'fr-mb-6w')}>
        {audience.faq.map((entry) => (
          <Accordion key={entry.question} label={entry.question} titleAs="h3">
            {entry.answer.map((p) => (
              <p key={p}>{p}</p>
            ))}
          </Accordion>
        ))}
      </div>
      <p>
        {helpTexts.hub.contactTitle}{' '}
        <Link className={fr.cx('fr-link')} to={paths.helpContact}>
          {helpTexts.hub.contactLink}
        </Link>
      </p>
    </>
  );
}
