import { Display, headerFooterDisplayItem } from '@codegouvfr/react-dsfr/Display';
import { Footer } from '@codegouvfr/react-dsfr/Footer';
import { Header } from '@codegouvfr/react-dsfr/Header';
import { SkipLinks } from '@codegouvfr/react-dsfr/SkipLinks';
import { Suspense, useEffect, useRef } from 'react';
import { Outlet, useLocation } from 'react-router-dom';
import { useMainNavigation } from './navigation.ts';
import { useQuickAccessItems } from './quickAccessItems.ts';
import { paths } from './routes.ts';
import { appTexts } from './texts.ts';
import { helpTexts } from '../features/help/texts.ts';

const headerId = 'fr-header';
const brandTop = (
  <>
    {appTexts.brandTop[0]}
    <br />
    {appTexts.brandTop[1]}
  </>
);
const homeLinkProps = { to: paths.home, title: appTexts.homeLinkTitle };

/** After an in-app navigation, focus moves to the new page's content (RGAA 12.7: no lost focus). */
function useFocusContentOnNavigation() {
  const { pathname } = useLocation();
  const first = useRef(true);
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    document.getElementById('contenu')?.focus();
    window.scrollTo(0, 0);
  }, [pathname]);
}

export function Layout() {
  const quickAccessItems = useQuickAccessItems();
  const navigation = useMainNavigation();
  useFocusContentOnNavigation();

  return (
    <>
      <SkipLinks
        links={[
          { label: appTexts.skipLinks.content, anchor: '#contenu' },
          { label: appTexts.skipLinks.menu, anchor: `#${headerId}-main-navigation` },
          { label: appTexts.skipLinks.footer, anchor: '#fr-footer' },
        ]}
      />
      <Header
        id={headerId}
        brandTop={brandTop}
        serviceTitle={appTexts.serviceName}
        serviceTagline={appTexts.serviceTagline}
        homeLinkProps={homeLinkProps}
        quickAccessItems={quickAccessItems}
        navigation={navigation}
      />
      <main id="contenu" tabIndex={-1} className="fr-container fr-py-6w" style={{ outline: 'none', minHeight: '50vh' }}>
        <Suspense fallback={<p aria-live="polite">{appTexts.loadingPage}</p>}>
          <Outlet />
        </Suspense>
      </main>
      <Footer
        brandTop={brandTop}
        homeLinkProps={homeLinkProps}
        accessibility="non compliant"
        contentDescription={appTexts.footer.description}
        termsLinkProps={{ to: paths.legalNotice }}
        websiteMapLinkProps={{ to: paths.sitemap }}
        accessibilityLinkProps={{ to: paths.accessibility }}
        bottomItems={[{ text: appTexts.footer.personalData, linkProps: { to: paths.personalData } }, { text: helpTexts.hub.pageTitle, linkProps: { to: paths.help } }, { text: helpTexts.cgu.pageTitle, linkProps: { to: paths.cgu } }, { text: appTexts.footer.apiDocs, linkProps: { href: '/api/docs' } }, headerFooterDisplayItem]}
      />
      <Display />
    </>
  );
}
