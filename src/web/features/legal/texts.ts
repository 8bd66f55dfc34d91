/**
 * French content of the mandatory pages of a public online service. RPPS+ here is a
 * demonstrator with fictitious data: the publisher and hosting details are plausible
 * placeholders, to be replaced by the real ones before any production use.
 */
export interface LegalSection {
  title: string;
  paragraphs?: readonly string[];
  items?: readonly string[];
}

export const legalTexts = {
  legalNotice: {
    pageTitle: 'Mentions légales',
    title: 'Mentions légales',
    sections: [
      {
        title: 'Éditeur',
        paragraphs: [
          'Agence du Numérique en Santé (ANS), groupement d’intérêt public, 2-10 rue d’Oradour-sur-Glane, 75015 Paris.',
          'Directeur de la publication : le directeur général de l’Agence du Numérique en Santé.',
        ],
      },
      {
        title: 'Hébergement',
        paragraphs: [
          'Le service est hébergé en France par un hébergeur certifié pour l’hébergement de données de santé (HDS). ' +
            'Cette version de démonstration est hébergée sur l’infrastructure de l’équipe projet et ne contient que des données fictives.',
        ],
      },
      {
        title: 'Propriété intellectuelle',
        paragraphs: [
          'Sauf mention contraire, les contenus de ce site sont publiés sous licence ouverte Etalab 2.0. ' +
            'Le code source du service est ouvert. La marque de l’État, le bloc « République française » et la police Marianne ' +
            'relèvent du Système de design de l’État et ne peuvent être réutilisés en dehors des sites de l’État.',
        ],
      },
      {
        title: 'Données FINESS',
        paragraphs: [
          'Les informations sur les établissements proviennent du Fichier national des établissements sanitaires et sociaux (FINESS), ' +
            'publié par le ministère chargé de la santé sous licence ouverte. Leur correction relève de l’ARS ou du Conseil départemental compétent.',
        ],
      },
      {
        title: 'Accessibilité',
        paragraphs: ['La conformité du service au référentiel général d’amélioration de l’accessibilité (RGAA) est décrite dans la déclaration d’accessibilité.'],
      },
      {
        title: 'Sécurité',
        paragraphs: [
          'Le service applique la politique générale de sécurité des systèmes d’information de santé (PGSSI-S). ' +
            'L’accès aux fonctions d’enregistrement se fait avec une carte CPx ou une e-CPS via Pro Santé Connect.',
        ],
      },
    ] satisfies LegalSection[],
  },
  personalData: {
    pageTitle: 'Données personnelles',
    title: 'Données personnelles',
    lead:
      'RPPS+ traite des données personnelles pour enregistrer les professionnels à rôle du social et du médico-social ' +
      'au répertoire partagé des professionnels intervenant dans le système de santé (RPPS). Cette page explique lesquelles, pourquoi, combien de temps et quels sont vos droits.',
    sections: [
      {
        title: 'Responsable du traitement',
        paragraphs: [
          'L’Agence du Numérique en Santé (ANS), 2-10 rue d’Oradour-sur-Glane, 75015 Paris, est responsable du traitement. ' +
            'Délégué à la protection des données : dpo@esante.gouv.fr (adresse fictive pour cette démonstration).',
        ],
      },
      {
        title: 'Données collectées',
        items: [
          'État civil du professionnel : civilité, sexe, noms de naissance et d’usage, prénoms, date et lieu de naissance, copie d’une pièce d’identité lorsque le gestionnaire réalise l’enregistrement de bout en bout.',
          'Coordonnées personnelles : adresse électronique et numéro de téléphone mobile.',
          'Situation d’exercice : nom et prénom d’exercice, établissement (FINESS), profession, rôle, mode d’exercice, dates de début et de fin.',
          'Pour les gestionnaires et représentants légaux : identité, habilitations, attestation de formation et traces de leurs actions.',
          'Données techniques : journaux de connexion et d’utilisation, sans cookie de mesure d’audience.',
        ],
      },
      {
        title: 'Finalités et base légale',
        paragraphs: [
          'Les données servent à attribuer un numéro RPPS, à publier dans l’Annuaire Santé les seules données d’exercice, ' +
            'à permettre l’activation de la e-CPS et l’accès, selon le rôle, au Dossier Médical Partagé et à la messagerie sécurisée MSSanté, ' +
            'et à vérifier l’identité auprès de l’INSEE. Le traitement est nécessaire à l’exécution d’une mission d’intérêt public (article 6.1.e du RGPD), ' +
            'prévue par le code de la santé publique.',
          'L’état civil et les coordonnées ne sont jamais publiés.',
        ],
      },
      {
        title: 'Durées de conservation',
        items: [
          'Identité et numéro RPPS : pendant toute la vie professionnelle, le numéro RPPS étant attribué à vie et jamais réutilisé.',
          'Identités non confirmées par l’INSEE dans un délai de trois ans : supprimées.',
          'Copie de la pièce d’identité : consultée seulement par l’agent de l’ANS qui examine l’identité (chaque consultation est tracée) ; supprimée dès que l’identité est confirmée, et au plus tard 90 jours après son dépôt.',
          'Demandes de pré-enregistrement refusées ou abandonnées : un an.',
          'Journaux de connexion et traces d’actions : un an.',
        ],
      },
      {
        title: 'Destinataires',
        paragraphs: [
          'Les gestionnaires RPPS+ habilités de la structure employeuse, les agents habilités de l’ANS, ' +
            'et, pour les seules données d’exercice, les utilisateurs de l’Annuaire Santé. Aucune donnée n’est vendue ni transférée hors de l’Union européenne.',
        ],
      },
      {
        title: 'Vos droits',
        paragraphs: [
          'Vous disposez d’un droit d’accès, de rectification, de limitation et d’opposition, dans les conditions prévues par le RGPD. ' +
            'Le droit à l’effacement ne s’applique pas au numéro RPPS, identifiant pérenne. Vous pouvez mettre à jour vous-même ' +
            'vos coordonnées avec votre e-CPS ; pour le reste, écrivez au délégué à la protection des données.',
          'Si vous estimez, après nous avoir contactés, que vos droits ne sont pas respectés, vous pouvez adresser une réclamation à la CNIL (www.cnil.fr).',
        ],
      },
      {
        title: 'Cookies',
        paragraphs: [
          'RPPS+ n’utilise aucun cookie de mesure d’audience ni de publicité. Seuls des cookies strictement nécessaires ' +
            '(session de connexion, préférence d’affichage) sont déposés ; ils sont exemptés de consentement.',
        ],
      },
    ] satisfies LegalSection[],
  },
  accessibility: {
    pageTitle: 'Déclaration d’accessibilité',
    title: 'Déclaration d’accessibilité',
    lead:
      'L’Agence du Numérique en Santé s’engage à rendre ses services en ligne accessibles, conformément à l’article 47 de la loi n° 2005-102 du 11 février 2005.',
    scope: 'Cette déclaration d’accessibilité s’applique au service RPPS+.',
    date: 'Déclaration établie le 23 novembre 2026.',
    sections: [
      {
        title: 'État de conformité',
        paragraphs: [
          'RPPS+ est non conforme avec le référentiel général d’amélioration de l’accessibilité (RGAA) version 4.1.2 : ' +
            'aucun audit de conformité n’a encore été réalisé.',
        ],
      },
      {
        title: 'Résultats des tests',
        paragraphs: [
          'En l’absence d’audit, aucun taux de conformité ne peut être publié. Chaque page est vérifiée à chaque évolution ' +
            'par des tests automatisés (axe-core, critères WCAG 2.1 niveaux A et AA), qui ne couvrent qu’une partie des critères du RGAA.',
        ],
      },
      {
        title: 'Contenus non accessibles connus',
        items: [
          'Les parcours d’enregistrement n’ont pas encore été testés avec des lecteurs d’écran (NVDA, JAWS, VoiceOver).',
          'La restitution des changements de page par les technologies d’assistance reste à vérifier.',
        ],
      },
      {
        title: 'Établissement de cette déclaration',
        paragraphs: [
          'Technologies utilisées : HTML, CSS, JavaScript (React) et le Système de design de l’État (DSFR).',
          'Environnement de test automatisé : navigateur Chromium avec axe-core.',
          'Un audit complet est prévu avant l’ouverture du service au public.',
        ],
      },
      {
        title: 'Retour d’information et contact',
        paragraphs: [
          'Si vous n’arrivez pas à accéder à un contenu ou à un service, vous pouvez contacter le service client RPPS+ de l’ANS ' +
            '(monserviceclient.portailrppsplus@esante.gouv.fr, ou le formulaire de contact de la rubrique « Aide ») pour être orienté vers une alternative accessible ou obtenir le contenu sous une autre forme.',
        ],
      },
      {
        title: 'Voies de recours',
        paragraphs: [
          'Si vous constatez un défaut d’accessibilité vous empêchant d’accéder à un contenu ou à une fonctionnalité du site, que vous nous le signalez ' +
            'et que vous ne parvenez pas à obtenir de réponse de notre part, vous êtes en droit de faire parvenir vos doléances ou une demande de saisine au Défenseur des droits :',
        ],
        items: [
          'écrire un message au Défenseur des droits (formulaire de contact sur defenseurdesdroits.fr) ;',
          'contacter le délégué du Défenseur des droits dans votre région ;',
          'envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) : Défenseur des droits, Libre réponse 71120, 75342 Paris CEDEX 07.',
        ],
      },
    ] satisfies LegalSection[],
  },
  sitemap: {
    pageTitle: 'Plan du site',
    title: 'Plan du site',
    home: 'Accueil',
    structures: 'Rechercher un établissement',
    directory: 'Annuaire des professionnels',
    accessMatrix: 'Droits d’accès au DMP par rôle',
    legalNotice: 'Mentions légales',
    personalData: 'Données personnelles',
    accessibility: 'Déclaration d’accessibilité',
    sitemap: 'Plan du site',
    apiDocs: 'Documentation de l’API (développeurs)',
  },
} as const;
