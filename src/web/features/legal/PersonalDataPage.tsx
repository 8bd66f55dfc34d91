import { LegalPage } from './LegalPage.tsx';
import { legalTexts } from './texts.ts';

export function PersonalDataPage() {
  return <LegalPage {...legalTexts.personalData} />;
}
