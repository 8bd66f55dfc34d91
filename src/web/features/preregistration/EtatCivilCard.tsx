import { fr } from '@codegouvfr/react-dsfr';
import type { EtatCivilView } from './api.ts';
import { formatDate, preregistrationTexts } from './texts.ts';

const t = preregistrationTexts.etatCivil;

/** The FranceConnect état civil, read-only (shown to the professional and to the gestionnaire). */
export function EtatCivilCard({ etatCivil: e, headingLevel = 2, title = t.title, notice = t.notice }: { etatCivil: EtatCivilView; headingLevel?: 2 | 3; title?: string; notice?: string }) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const rows: Array<[string, string]> = [
    [t.civilite, e.civilite === 'MME' ? 'Madame' : e.civilite === 'M' ? 'Monsieur' : e.civilite],
    [t.birthName, e.birthName || t.none],
    [t.usageName, e.usageName || t.none],
    [t.firstNames, e.firstNames.join(' ') || t.none],
    [t.birthDate, formatDate(e.birthDate)],
    [t.birthPlace, e.birthPlace ?? t.none],
    [t.birthCountry, e.birthCountry ?? e.birthCountryCode],
  ];
  return (
    <section className={fr.cx('fr-mb-4w')} aria-labelledby="etat-civil-title">
      <Heading id="etat-civil-title" className={fr.cx('fr-h5')}>
        {title}
      </Heading>
      <p className={fr.cx('fr-text--sm')}>{notice}</p>
      <dl className={fr.cx('fr-grid-row', 'fr-grid-row--gutters')}>
        {rows.map(([label, value]) => (
          <div key={label} className={fr.cx('fr-col-12', 'fr-col-md-4')}>
            <dt className={fr.cx('fr-text--bold', 'fr-mb-0')}>{label}</dt>
            <dd className={fr.cx('fr-ml-0')}>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
