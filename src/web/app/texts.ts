/** French strings of the application shell (header, footer, navigation, generic pages). */
export const appTexts = {
  serviceName: 'RPPS+',
  brandTop: ['République', 'française'] as const,
  serviceTagline: 'Enregistrement des professionnels à rôle du social et du médico-social',
  homeLinkTitle: 'Accueil — RPPS+ (Agence du Numérique en Santé)',
  skipLinks: { content: 'Contenu', menu: 'Menu', footer: 'Pied de page' },
  navigation: {
    label: 'Menu principal',
    home: 'Accueil',
    structures: 'Rechercher un établissement',
    directory: 'Annuaire des professionnels',
    accessMatrix: 'Droits d’accès au DMP',
    mySpace: 'Mon espace',
    /** Sub-menus (DSFR "menu" navigation items): at most 6 top entries per role. */
    groups: {
      public: 'Informations publiques',
      professionals: 'Professionnels',
      structure: 'Ma structure',
      backOffice: 'Back-office',
      steering: 'Pilotage',
    },
    homeLong: 'Accueil du service',
    habilitations: 'Habilitations',
    habilitationsOf: (finess: string) => `Habilitations (FINESS ${finess})`,
    contractRequest: 'Demande d’adhésion',
    contracts: 'Demandes d’adhésion',
    support: 'Demandes d’assistance',
    orphans: 'Structures sans gestionnaire',
  },
  footer: {
    description:
      'RPPS+ permet aux structures du social et du médico-social d’enregistrer au RPPS les professionnels ' +
      'à rôle qui ont besoin d’accéder aux données de santé. Service proposé par l’Agence du Numérique en Santé (démonstrateur, données fictives).',
    legalNotice: 'Mentions légales',
    personalData: 'Données personnelles',
    accessibility: 'Accessibilité : non conforme',
    sitemap: 'Plan du site',
    apiDocs: 'API (documentation)',
  },
  notFound: {
    title: 'Page non trouvée',
    code: 'Erreur 404',
    lead: 'La page que vous cherchez est introuvable. Excusez-nous pour la gêne occasionnée.',
    body:
      'Si vous avez tapé l’adresse web dans le navigateur, vérifiez qu’elle est correcte. La page n’est peut-être plus disponible. ' +
      'Dans ce cas, pour continuer votre visite, vous pouvez consulter notre page d’accueil ou effectuer une recherche d’établissement.',
    home: 'Page d’accueil',
    search: 'Rechercher un établissement',
  },
  reserved: {
    title: 'Accès réservé',
    lead: 'Cette page ne fait pas partie de votre espace',
    detail: {
      registers: 'Elle est réservée aux gestionnaires RPPS+, aux représentants légaux des structures et aux opérateurs de l’ANS, qui enregistrent les professionnels.',
      operator: 'Elle est réservée aux opérateurs de l’Agence du numérique en santé.',
    },
    mySpace: 'Retour à mon espace',
  },
  confirm: { cancel: 'Annuler', working: 'En cours…' },
  loadingPage: 'Chargement de la page…',
  pageTitleSuffix: 'RPPS+',
} as const;
