import { fr } from '@codegouvfr/react-dsfr';
import { LegalPage } from '../legal/LegalPage.tsx';
import { helpTexts } from './texts.ts';

const t = helpTexts.cgu;

/** The RPPS+ terms of use, versioned (the version is recorded with each consent), and the MIE terms. */
export function CguPage() {
  return (
    <LegalPage pageTitle={t.pageTitle} title={t.title} sections={t.sections}>
      <p className={fr.cx('fr-text--bold')}>{t.version}</p>
      <section id="mie" className={fr.cx('fr-callout', 'fr-mt-4w')}>
        <h2 className={fr.cx("fr-callout__title")}>{t.mie.title}</h2>
        <p className={fr.cx('fr-text--bold')}>{t.mie.version}</p>
        {t.mie.paragraphs.map((p) => (
          <p key={p}>{p}</p>
        ))}
      </section>
    </LegalPage>
  );
}

/** The link placed next to every consent: opens the terms in a new tab (the form keeps its state). */
export function CguLink(props: { anchor?: 'mie' }) {
  return (
    <a className={fr.cx('fr-link')} href={`/aide/cgu${props.anchor ? `#${props.anchor}` : ''}`} target="_blank" rel="noopener" title={`${props.anchor === 'mie' ? t.mie.title : t.title} – nouvel onglet`}>
      {props.anchor === 'mie' ? t.mie.title : t.link}
    </a>
  );
}
