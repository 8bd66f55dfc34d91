import { LegalPage } from './LegalPage.tsx';
import { legalTexts } from './texts.ts';

export function LegalNoticePage() {
  return <LegalPage {...legalTexts.legalNotice} />;
}
