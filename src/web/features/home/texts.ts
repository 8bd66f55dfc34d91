/** French strings of the home page. Content: ANS guide RPPS+ and flyer (seeds 000, 001, 003). */
export const homeTexts = {
  pageTitle: 'Accueil',
  title: 'RPPS+ : enregistrer les professionnels à rôle du social et du médico-social',
  lead:
    'Depuis décembre 2022, les structures du social et du médico-social enregistrent elles-mêmes au RPPS ' +
    'les professionnels qui ont besoin d’accéder aux données de santé des personnes qu’ils accompagnent.',
  cta: 'Rechercher un établissement',
  what: {
    title: 'Qu’est-ce que RPPS+ ?',
    paragraphs: [
      'Le RPPS (répertoire partagé des professionnels intervenant dans le système de santé) est le répertoire unique ' +
        'et pérenne des professionnels de la santé et du médico-social. RPPS+ est le portail qui permet aux employeurs ' +
        'du social et du médico-social d’y enregistrer leurs « professionnels à rôle ».',
      'Une fois enregistré, le professionnel reçoit un numéro RPPS à 11 chiffres, valable toute sa vie professionnelle, ' +
        'apparaît dans l’Annuaire Santé et peut activer sa e-CPS pour se connecter avec Pro Santé Connect au dossier ' +
        'de l’usager informatisé (DUI) et, selon son rôle, au Dossier Médical Partagé (DMP).',
    ],
  },
  audiences: {
    title: 'À qui s’adresse RPPS+ ?',
    items: [
      {
        title: 'Structures (EHPAD, services à domicile, handicap, protection de l’enfance…)',
        desc: 'Identifiées dans FINESS, elles adhèrent au service, désignent leur représentant légal et habilitent leurs gestionnaires.',
      },
      {
        title: 'Gestionnaires RPPS+',
        desc: 'Habilités par le représentant légal, ils enregistrent les professionnels, valident les pré-enregistrements et mettent fin aux situations d’exercice.',
      },
      {
        title: 'Professionnels à rôle',
        desc: 'Aides-soignants, éducateurs, accompagnants éducatifs et sociaux… : ils obtiennent un numéro RPPS et une identité numérique de santé.',
      },
    ],
  },
  steps: {
    title: 'Comment ça marche ?',
    items: [
      'Vérifiez que votre établissement est bien connu dans FINESS.',
      'Signez le contrat d’adhésion et habilitez vos gestionnaires RPPS+.',
      'Enregistrez vos professionnels, ou validez les demandes qu’ils ont préparées avec FranceConnect.',
      'Le professionnel reçoit son numéro RPPS et peut activer sa e-CPS.',
    ],
  },
  search: {
    title: 'Votre établissement est-il connu dans FINESS ?',
    desc: 'Recherchez-le par son numéro FINESS ou par son nom avant de commencer vos démarches.',
  },
} as const;
