/** Paths of the pages, in one place (links, plan du site, router). */
export const paths = {
  home: '/',
  structures: '/etablissements',
  structure: (finess: string) => `/etablissements/${encodeURIComponent(finess)}`,
  directory: '/annuaire',
  practitioner: (rpps: string) => `/annuaire/${encodeURIComponent(rpps)}`,
  accessMatrix: '/droits-acces-dmp',
  legalNotice: '/mentions-legales',
  personalData: '/donnees-personnelles',
  accessibility: '/accessibilite',
  sitemap: '/plan-du-site',
  signIn: '/connexion',
  signInError: '/connexion/erreur',
  signedOut: '/connexion/deconnexion',
  mySpace: '/mon-espace',
} as const;
