import { useEffect } from 'react';
import { appTexts } from './texts.ts';

/** Sets the document title ("Page — RPPS+"), as RGAA 8.5/8.6 asks for every page. */
export function usePageTitle(title: string | undefined) {
  useEffect(() => {
    document.title = title ? `${title} — ${appTexts.pageTitleSuffix}` : appTexts.pageTitleSuffix;
  }, [title]);
}
