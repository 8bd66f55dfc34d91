import { fr } from '@codegouvfr/react-dsfr';
import { LegalPage } from './LegalPage.tsx';
import { legalTexts } from './texts.ts';

const t = legalTexts.accessibility;

export function AccessibilityPage() {
  return (
    <LegalPage pageTitle={t.pageTitle} title={t.title} lead={t.lead} sections={t.sections}>
      <p>{t.scope}</p>
      <p className={fr.cx('fr-text--bold')}>{t.date}</p>
    </LegalPage>
  );
}
