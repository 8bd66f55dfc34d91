import { fr } from '@codegouvfr/react-dsfr';
import { Button } from '@codegouvfr/react-dsfr/Button';
import { CallOut } from '@codegouvfr/react-dsfr/CallOut';
import { Card } from '@codegouvfr/react-dsfr/Card';
import { paths } from '../../app/routes.ts';
import { usePageTitle } from '../../app/usePageTitle.ts';
import { homeTexts as t } from './texts.ts';

export function HomePage() {
  usePageTitle(t.pageTitle);
  return (
    <>
      <div className={fr.cx('fr-grid-row', 'fr-grid-row--gutters', 'fr-mb-6w')}>
        <div className={fr.cx('fr-col-12', 'fr-col-lg-9')}>
          <h1>{t.title}</h1>
          <p className={fr.cx('fr-text--lead')}>{t.lead}</p>
          <Button linkProps={{ to: paths.structures }} iconId="fr-icon-search-line" iconPosition="left" size="large">
            {t.cta}
          </Button>
        </div>
      </div>

      <section className={fr.cx('fr-mb-6w')} aria-labelledby="what-title">
        <h2 id="what-title">{t.what.title}</h2>
        {t.what.paragraphs.map((p) => (
          <p key={p}>{p}</p>
        ))}
      </section>

      <section className={fr.cx('fr-mb-6w')} aria-labelledby="audiences-title">
        <h2 id="audiences-title">{t.audiences.title}</h2>
        <ul className={fr.cx('fr-grid-row', 'fr-grid-row--gutters', 'fr-raw-list')}>
          {t.audiences.items.map((item) => (
            <li key={item.title} className={fr.cx('fr-col-12', 'fr-col-md-4')}>
              <Card title={item.title} titleAs="h3" desc={item.desc} border />
            </li>
          ))}
        </ul>
      </section>

      <section className={fr.cx('fr-mb-6w')} aria-labelledby="steps-title">
        <h2 id="steps-title">{t.steps.title}</h2>
        <ol>
          {t.steps.items.map((step) => (
            <li key={step}>{step}</li>
          ))}
        </ol>
      </section>

      <CallOut
        title={t.search.title}
        titleAs="h2"
        iconId="ri-building-line"
        buttonProps={{ linkProps: { to: paths.structures }, children: t.cta }}
      >
        {t.search.desc}
      </CallOut>
    </>
  );
}
