import { fr } from '@codegouvfr/react-dsfr';
import type { ReactNode } from 'react';
import { usePageTitle } from '../../app/usePageTitle.ts';
import type { LegalSection } from './texts.ts';

/** The common layout of the legal pages: a title, an optional lead, then titled sections. */
export function LegalPage(props: {
  pageTitle: string;
  title: string;
  lead?: ReactNode;
  sections: readonly LegalSection[];
  children?: ReactNode;
}) {
  usePageTitle(props.pageTitle);
  return (
    <div className={fr.cx('fr-grid-row')}>
      <div className={fr.cx('fr-col-12', 'fr-col-lg-9')}>
        <h1>{props.title}</h1>
        {props.lead && <p className={fr.cx('fr-text--lead')}>{props.lead}</p>}
        {props.children}
        {props.sections.map((section) => (
          <section key={section.title} className={fr.cx('fr-mt-4w')}>
            <h2>{section.title}</h2>
            {section.paragraphs?.map((p) => (
              <p key={p}>{p}</p>
            ))}
            {section.items && (
              <ul>
                {section.items.map((item) => (
                  <li key={item}>{item}</li>
                ))}
              </ul>
            )}
          </section>
        ))}
      </div>
    </div>
  );
}
