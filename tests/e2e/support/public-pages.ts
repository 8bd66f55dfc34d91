/**
 * The public pages of the web app, with the <title> and <h1> each must show (pages.e2e.test.ts);
 * every-route.e2e.test.ts counts them as visited when it checks that no route is left out.
 */
export const publicPages = [
  { name: 'home', path: '/', title: /^Accueil — RPPS\+$/, h1: /RPPS\+/ },
  { name: 'search', path: '/etablissements', title: /^Rechercher un établissement — RPPS\+$/, h1: /Rechercher un établissement/ },
  { name: 'search-results', path: '/etablissements?q=EHPAD', title: /Recherche « EHPAD »/, h1: /Rechercher un établissement/, results: true },
  { name: 'structure-eg', path: '/etablissements/690800206', title: /EHPAD LES TILLEULS \(FINESS 690800206\)/, h1: /EHPAD LES TILLEULS/ },
  { name: 'structure-ej', path: '/etablissements/690800123', title: /FINESS 690800123/, h1: /./ },
  { name: 'directory', path: '/annuaire', title: /^Annuaire des professionnels à rôle — RPPS\+$/, h1: /Annuaire des professionnels/ },
  { name: 'access-matrix', path: '/droits-acces-dmp', title: /^Droits d’accès au DMP par rôle — RPPS\+$/, h1: /Droits d’accès/ },
  { name: 'my-access', path: '/mes-acces', title: /^Mes accès — RPPS\+$/, h1: /Mes accès/ },
  { name: 'preregistration', path: '/pre-enregistrement', title: /^Je me pré-enregistre — RPPS\+$/, h1: /Je me pré-enregistre au RPPS/ },
  { name: 'ecps-activation', path: '/e-cps/activation', title: /^Activer mon e-CPS — RPPS\+$/, h1: /Activer mon e-CPS/ },
  { name: 'legal-notice', path: '/mentions-legales', title: /^Mentions légales — RPPS\+$/, h1: /Mentions légales/ },
  { name: 'personal-data', path: '/donnees-personnelles', title: /^Données personnelles — RPPS\+$/, h1: /Données personnelles/ },
  { name: 'accessibility', path: '/accessibilite', title: /^Déclaration d’accessibilité — RPPS\+$/, h1: /Déclaration d’accessibilité/ },
  { name: 'sitemap', path: '/plan-du-site', title: /^Plan du site — RPPS\+$/, h1: /Plan du site/ },
  { name: 'not-found', path: '/cette-page-n-existe-pas', title: /^Page non trouvée — RPPS\+$/, h1: /Page non trouvée/ },
] as const;
