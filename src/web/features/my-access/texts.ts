/** French strings of "Mes accès" and of the e-CPS activation page. */
export const myAccessTexts = {
  title: 'Mes accès',
  lead: 'Ce que votre enregistrement au RPPS vous ouvre : votre e-CPS, vos rôles et les documents du DMP qu’ils vous permettent de consulter, votre éligibilité à une messagerie MSSanté.',
  loading: 'Chargement de vos accès…',
  signInTitle: 'Connexion requise',
  signIn: 'Se connecter avec Pro Santé Connect',
  notProfessional: 'Cette page concerne les professionnels enregistrés au RPPS qui se connectent avec leur e-CPS.',
  noRecordTitle: 'Aucun professionnel enregistré n’est rattaché à votre compte',
  noRecord: 'Cette page concerne les professionnels enregistrés au RPPS. Votre compte n’est rattaché à aucun d’eux : si vous êtes un professionnel à rôle, déconnectez-vous puis connectez-vous avec votre e-CPS.',
  mySpace: 'Retour à mon espace',
  ecpsTitle: 'Mon e-CPS',
  identifier: 'Identifiant e-CPS',
  rpps: 'Numéro RPPS',
  states: {
    'not-invited': 'Non activée — l’invitation vous sera envoyée par courriel',
    invited: 'À activer',
    active: 'Active',
    suspended: 'Suspendue — aucune situation d’exercice active',
  } as Record<string, string>,
  activate: 'Activer mon e-CPS',
  activatedOn: (date: string) => `Activée le ${date}`,
  rolesTitle: 'Mes rôles et les documents du DMP consultables',
  dmpNotOpenTitle: 'La consultation du DMP n’est pas encore ouverte',
  dmpNotOpen: (from: string | null) =>
    from
      ? `Ces droits s’appliqueront lorsque le DMP les ouvrira aux professionnels à rôle, à partir du ${from}. D’ici là, vous ne pouvez pas consulter le DMP.`
      : 'Ces droits s’appliqueront lorsque le DMP les ouvrira aux professionnels à rôle ; la date n’est pas encore connue. D’ici là, vous ne pouvez pas consulter le DMP.',
  dmpOpenSince: (from: string) => `Le DMP applique ces droits depuis le ${from}.`,
  matrix: (label: string, from: string) => `Selon la matrice « ${label} », en vigueur depuis le ${from}.`,
  noRole: 'Aucune situation d’exercice active : vous ne pouvez consulter aucun document du DMP.',
  documents: (n: number) => `${n} type${n > 1 ? 's' : ''} de document consultable${n > 1 ? 's' : ''}`,
  situationsTitle: 'Mes situations d’exercice',
  situationsCaption: 'Situations d’exercice enregistrées au RPPS',
  structure: 'Établissement',
  profession: 'Profession',
  role: 'Rôle',
  dates: 'Période',
  status: 'Statut',
  active: 'Active',
  inactive: 'Inactive',
  from: (start: string, end: string | null) => (end ? `du ${start} au ${end}` : `depuis le ${start}`),
  mssanteTitle: 'Messagerie sécurisée de santé (MSSanté)',
  mssanteEligible: 'Vous pouvez ouvrir une boîte aux lettres MSSanté nominative.',
  mssanteFrom: 'Au titre de :',
  mssanteNotEligible: 'Vous n’êtes pas éligible à une boîte MSSanté nominative : aucune situation d’exercice active.',
  mssanteNotEntitled:
    'Vous n’êtes pas éligible à une boîte MSSanté nominative : votre profession ne fait pas partie des catégories de professionnels habilitées à échanger des données de santé.',
  activation: {
    title: 'Activer mon e-CPS',
    lead: 'Votre carte professionnelle numérique (e-CPS) vous permet de vous connecter avec Pro Santé Connect. Un code à usage unique est envoyé par SMS au numéro de mobile enregistré lors de votre inscription.',
    idLabel: 'Identifiant e-CPS',
    idHint: '8 suivi de votre numéro RPPS (12 chiffres), indiqué dans le courriel reçu',
    sendCode: 'Recevoir un code par SMS',
    codeLabel: 'Code reçu par SMS',
    codeHint: '6 chiffres',
    idRequired: 'Saisissez votre identifiant e-CPS.',
    codeRequired: 'Saisissez le code reçu par SMS.',
    confirm: 'Activer',
    doneTitle: 'e-CPS activée',
    done: 'Votre e-CPS est active. Vous pouvez vous connecter avec Pro Santé Connect.',
    busy: 'Envoi en cours…',
  },
} as const;

export const formatDate = (iso: string) => {
  const [y, m, d] = iso.slice(0, 10).split('-');
  return `${d}/${m}/${y}`;
};
