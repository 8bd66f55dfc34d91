import { mieCguVersion, rppsCguVersion } from '../../../shared/terms.ts';

/**
 * French content of the help section (issue 16, item 1): an FAQ and a user guide per audience,
 * written from the ANS guide (seed 000), the flyer (seed 001) and the webinar deck (seed 004).
 */
export interface GuideSection {
  title: string;
  steps: readonly string[];
}
export interface FaqEntry {
  question: string;
  answer: readonly string[];
}
export interface Audience {
  slug: 'gestionnaire' | 'representant-legal' | 'professionnel';
  title: string;
  short: string;
  lead: string;
  guide: readonly GuideSection[];
  faq: readonly FaqEntry[];
}

const gestionnaire: Audience = {
  slug: 'gestionnaire',
  title: 'Aide aux gestionnaires RPPS+',
  short: 'Gestionnaire RPPS+',
  lead: 'Vous êtes habilité par le représentant légal de votre structure pour enregistrer les professionnels à rôle dans le RPPS : voici comment faire, étape par étape.',
  guide: [
    {
      title: 'Avant de commencer',
      steps: [
        'Suivez l’e-learning de l’ANS « Ce qu’il faut savoir pour devenir gestionnaire RPPS+ » (20 minutes) et conservez l’attestation : elle est obligatoire pour être habilité depuis avril 2025.',
        'Munissez-vous de votre carte CPx (CPS ou CPE) et d’un lecteur, ou de votre e-CPS.',
        'Demandez au représentant légal (ou à un mandataire) de vous habiliter dans « Mes habilitations » : il lui faut votre identifiant national, votre courriel et l’attestation de l’e-learning.',
        'Connectez-vous avec Pro Santé Connect : votre espace affiche le périmètre sur lequel vous pouvez enregistrer (toute l’entité juridique ou certains établissements).',
      ],
    },
    {
      title: 'Enregistrer un professionnel (de bout en bout)',
      steps: [
        'Rencontrez le professionnel en face à face : les données d’état civil et de contact doivent être recueillies avec lui, pièce d’identité en main.',
        'Étape 1, état civil : civilité, sexe, nom de naissance, nom d’usage, tous les prénoms dans l’ordre de l’état civil, date, pays et commune de naissance (choisissez la commune avec son code INSEE), copie de la pièce d’identité.',
        'Étape 2, coordonnées : courriel et téléphone mobile personnels du professionnel, jamais partagés avec un autre.',
        'Étape 3, situation d’exercice : nom et prénom d’exercice, établissement (cherchez-le de préférence par son numéro FINESS), date de prise de fonction, profession, rôle et mode d’exercice (salarié).',
        'Étape 4, informations légales : confirmez l’exactitude des données, que le professionnel a été informé des conditions générales d’utilisation et de ses droits sur ses données, et que vous l’avez rencontré.',
        'Le numéro RPPS est attribué immédiatement et envoyé par courriel au professionnel ; il apparaît dans l’Annuaire Santé.',
      ],
    },
    {
      title: 'Valider un pré-enregistrement',
      steps: [
        'Le professionnel peut se pré-enregistrer lui-même avec FranceConnect (recommandé) : sa demande arrive dans « Demandes à traiter » et vous êtes prévenu par courriel.',
        'Vérifiez son identité en face à face, complétez ou corrigez la situation si besoin, puis validez : le numéro RPPS lui est envoyé.',
        'Si la demande n’est pas recevable, refusez-la en indiquant le motif : il le reçoit par courriel et peut déposer une nouvelle demande.',
      ],
    },
    {
      title: 'Modifier ou terminer une situation',
      steps: [
        'Retrouvez le professionnel dans « Professionnels » (numéro RPPS, nom, établissement).',
        'Vous pouvez modifier son rôle, son établissement et ses dates, ou ajouter une situation dans un autre établissement de votre périmètre.',
        'Quand il quitte la structure, terminez sa situation : sinon il pourrait continuer à se connecter avec Pro Santé Connect au titre de votre structure. Un intérimaire ou un sous-traitant se termine de la même façon à la fin de son contrat.',
        'Ne réenregistrez jamais une personne qui a déjà un numéro RPPS : ajoutez-lui une situation.',
      ],
    },
    {
      title: 'Importer une équipe',
      steps: [
        'Dans « Import en masse », téléchargez le modèle (CSV ou Excel) et remplissez une ligne par professionnel.',
        'Lancez d’abord une vérification : chaque ligne en erreur est expliquée, rien n’est enregistré.',
        'Importez ensuite : par défaut, chaque ligne devient une demande à valider en face à face ; si vous cochez les déclarations, les professionnels sont enregistrés directement.',
      ],
    },
  ],
  faq: [
    {
      question: 'Le professionnel a-t-il déjà un numéro RPPS ?',
      answer: [
        'Un professionnel garde son numéro RPPS toute sa vie. Avant d’enregistrer, l’assistant recherche les identités proches ; si la personne est déjà enregistrée, ajoutez-lui une situation dans votre établissement au lieu de créer un doublon.',
      ],
    },
    {
      question: 'Qui dois-je enregistrer ?',
      answer: [
        'Les professionnels du social et du médico-social qui ont besoin d’accéder à des données de santé (par exemple au DMP) ou à une messagerie sécurisée de santé. Les professionnels inscrits à un ordre (infirmiers, médecins…) ont déjà un numéro RPPS attribué par leur ordre.',
      ],
    },
    {
      question: 'Que choisir comme rôle ?',
      answer: [
        'Le rôle décrit ce que fait le professionnel dans votre structure, pas son diplôme : la même profession peut avoir des rôles différents selon la structure. C’est le rôle qui détermine les documents du DMP auxquels il aura accès (voir la matrice des droits d’accès).',
      ],
    },
    {
      question: 'Le professionnel n’a pas reçu son numéro RPPS.',
      answer: [
        'Le numéro est envoyé à l’adresse saisie à l’étape 2. Vérifiez les courriels indésirables, puis l’adresse dans sa fiche. Le numéro est aussi affiché sur sa fiche et dans l’Annuaire Santé.',
      ],
    },
    {
      question: 'J’ai fait une erreur dans l’état civil.',
      answer: [
        'L’état civil ne peut pas être modifié par le professionnel. Écrivez au service client avec le numéro RPPS et la correction, en joignant la pièce d’identité : toute identité erronée sera supprimée lors de la vérification avec l’état civil national.',
      ],
    },
    {
      question: 'Mon habilitation a disparu.',
      answer: ['Une habilitation peut avoir une date de fin, être retirée par le représentant légal, ou tomber avec le contrat d’adhésion de la structure. Rapprochez-vous de votre représentant légal.'],
    },
  ],
};

const representant: Audience = {
  slug: 'representant-legal',
  title: 'Aide aux représentants légaux et mandataires',
  short: 'Représentant légal ou mandataire',
  lead: 'Vous représentez une structure sociale ou médico-sociale : adhérez à RPPS+, habilitez vos gestionnaires et gardez la main sur les départs.',
  guide: [
    {
      title: 'Adhérer à RPPS+',
      steps: [
        'Vérifiez que les données FINESS de votre structure sont justes : les corrections relèvent de l’ARS ou du Conseil départemental, pas de RPPS+.',
        'Prenez connaissance des conditions générales d’utilisation des moyens d’identification électronique (MIE) délivrés par l’ANS.',
        'Dans « Adhérer à RPPS+ », saisissez le numéro FINESS juridique (toute l’entité) ou géographique (un seul établissement), puis les informations du contrat : raison sociale, SIRET du siège, adresse, coordonnées du représentant légal, numéro de matricule de sa carte s’il en a une.',
        'Téléchargez le contrat d’adhésion pré-rempli, signez-le, puis déposez-le (PDF) : l’ANS vérifie la demande et l’active. La carte de représentant légal (CDE, formulaire F101) est commandée à l’activation.',
      ],
    },
    {
      title: 'Habiliter les gestionnaires',
      steps: [
        'Choisissez votre stratégie : centralisée (gestionnaires sur toute l’entité juridique) ou décentralisée (gestionnaires par établissement).',
        'Dans « Mes habilitations », ajoutez chaque gestionnaire : identifiant national (carte CPx ou e-CPS), courriel, formulaire de commande de carte (F301 sans carte, F502 avec carte), date et attestation de l’e-learning.',
        'Vous pouvez désigner des mandataires qui habilitent les gestionnaires à votre place.',
        'Si vous êtes vous-même gestionnaire, votre carte CDE suffit : ni carte supplémentaire, ni habilitation.',
      ],
    },
    {
      title: 'Gérer les départs',
      steps: [
        'Quand un gestionnaire part, retirez son habilitation : c’est immédiat.',
        'Quand vous quittez vos fonctions, désignez votre successeur depuis « Mes habilitations » : l’ANS valide la désignation comme un contrat ; habilitations, mandataires et brouillons restent en place. Si vous êtes déjà parti, un mandataire ou le service client peut le faire.',
        'Si le contrat d’adhésion est résilié, les habilitations tombent, mais les professionnels restent publiés jusqu’à un nouveau contrat ou une décision de l’ANS.',
      ],
    },
  ],
  faq: [
    {
      question: 'Contrat juridique ou géographique ?',
      answer: [
        'Un seul contrat porté par le FINESS juridique suffit pour toute l’entité : il permet aussi de commander les certificats logiciels. Un contrat géographique ne couvre qu’un établissement : son représentant et ses gestionnaires ne voient que cet établissement.',
      ],
    },
    {
      question: 'Ma structure a déjà un contrat.',
      answer: ['Une structure n’a qu’un contrat actif à la fois : la demande est refusée dès la première étape. Si le représentant légal a changé, désignez un successeur au lieu de signer un nouveau contrat.'],
    },
    {
      question: 'Qu’est-ce qu’un mandataire ?',
      answer: ['Une personne de votre structure que vous désignez pour habiliter les gestionnaires à votre place. Un mandataire qui n’est pas le représentant légal peut s’habiliter lui-même gestionnaire.'],
    },
    {
      question: 'Pourquoi l’e-learning est-il obligatoire ?',
      answer: ['Depuis avril 2025, l’ANS exige l’attestation de l’e-learning « Ce qu’il faut savoir pour devenir gestionnaire RPPS+ » pour toute habilitation : il rappelle les règles d’identification et de vérification en face à face.'],
    },
  ],
};

const professionnel: Audience = {
  slug: 'professionnel',
  title: 'Aide aux professionnels',
  short: 'Professionnel',
  lead: 'Vous travaillez dans une structure sociale ou médico-sociale : obtenez votre numéro RPPS, activez votre e-CPS et accédez aux services numériques en santé.',
  guide: [
    {
      title: 'Vous pré-enregistrer',
      steps: [
        'Dans « Se pré-enregistrer », connectez-vous avec FranceConnect : votre état civil est repris de FranceConnect et ne se modifie pas.',
        'Saisissez votre courriel et votre téléphone mobile personnels, puis votre situation : établissement, date de prise de fonction, profession et rôle.',
        'Acceptez les conditions générales d’utilisation et envoyez la demande. Une seule demande à la fois : attendez qu’elle soit traitée avant d’en faire une autre.',
        'Le gestionnaire de votre établissement vérifie votre identité en face à face et valide : vous recevez votre numéro RPPS par courriel.',
      ],
    },
    {
      title: 'Activer votre e-CPS',
      steps: [
        'Munissez-vous de votre numéro RPPS (11 chiffres) et du téléphone mobile enregistré.',
        'Dans « Activer ma e-CPS », saisissez votre numéro RPPS : un code vous est envoyé par SMS.',
        'Saisissez le code : votre e-CPS est active. Vous vous connectez ensuite avec Pro Santé Connect à votre logiciel métier et, selon votre rôle, au DMP.',
      ],
    },
    {
      title: 'Après l’enregistrement',
      steps: [
        'Votre nom d’exercice, votre profession, votre rôle et votre structure sont publiés dans l’Annuaire Santé ; jamais votre état civil ni vos coordonnées.',
        'Vous pouvez mettre à jour votre courriel et votre téléphone dans « Mon dossier RPPS », après confirmation par un code.',
        'Quand vous quittez la structure, elle termine votre situation ; votre numéro RPPS vous reste pour la vie.',
      ],
    },
  ],
  faq: [
    {
      question: 'À quoi sert le numéro RPPS ?',
      answer: ['Il vous identifie de façon unique et pour toute votre vie professionnelle. Il permet d’obtenir une e-CPS, de vous connecter avec Pro Santé Connect et d’être éligible à une messagerie sécurisée de santé.'],
    },
    {
      question: 'Ma demande de pré-enregistrement a été refusée.',
      answer: ['Le motif est indiqué dans le courriel. Corrigez ce qui est demandé et déposez une nouvelle demande, ou rapprochez-vous du gestionnaire RPPS+ de votre établissement.'],
    },
    {
      question: 'Je n’ai pas reçu le code SMS.',
      answer: ['Le code part vers le mobile enregistré avec votre numéro RPPS. S’il a changé, demandez au gestionnaire de votre structure de le corriger, puis recommencez.'],
    },
    {
      question: 'Une donnée de mon état civil est fausse.',
      answer: ['Vous ne pouvez pas la modifier vous-même : écrivez au service client avec votre numéro RPPS et un justificatif. Votre identité sera vérifiée avec l’état civil national.'],
    },
  ],
};

export const helpTexts = {
  loading: 'Chargement…',
  hub: {
    pageTitle: 'Aide',
    title: 'Aide et assistance',
    lead: 'Guides d’utilisation et questions fréquentes pour chaque profil, et un formulaire pour écrire au service client de l’ANS.',
    guideAndFaq: 'Guide et questions fréquentes',
    contactTitle: 'Vous ne trouvez pas la réponse ?',
    contactText: 'Écrivez au service client de l’ANS : votre demande reçoit une référence et une réponse par courriel.',
    contactLink: 'Écrire au service client',
    cguLink: 'Conditions générales d’utilisation de RPPS+',
  },
  audience: {
    guideTitle: 'Guide d’utilisation',
    faqTitle: 'Questions fréquentes',
    back: 'Toute l’aide',
  },
  contact: {
    pageTitle: 'Contacter le service client',
    title: 'Contacter le service client RPPS+',
    lead: 'Pour toute difficulté avec le portail RPPS+. Votre demande est transmise au service client de l’ANS ; une copie vous est envoyée avec sa référence.',
    audience: 'Vous êtes',
    audiences: { gestionnaire: 'Gestionnaire RPPS+', representant: 'Représentant légal ou mandataire', professionnel: 'Professionnel', autre: 'Autre' },
    topic: 'Sujet',
    topics: {
      adhesion: 'Adhésion de la structure (contrat)',
      habilitation: 'Habilitation des gestionnaires',
      enregistrement: 'Enregistrement d’un professionnel',
      'pre-enregistrement': 'Pré-enregistrement',
      'e-cps': 'Activation de la e-CPS',
      import: 'Import en masse',
      autre: 'Autre question',
    },
    choose: 'Choisissez',
    name: 'Nom et prénom',
    email: 'Adresse électronique',
    emailHint: 'La réponse vous sera envoyée à cette adresse. Format attendu : nom@domaine.fr',
    finess: 'Numéro FINESS de la structure (facultatif)',
    finessHint: '9 caractères',
    subject: 'Objet',
    message: 'Votre message',
    messageHint: 'Décrivez la difficulté, sans joindre de pièce d’identité ni de donnée de santé.',
    privacy: 'Ces informations servent uniquement à traiter votre demande.',
    submit: 'Envoyer la demande',
    required: 'Ce champ est obligatoire.',
    sentTitle: 'Votre demande est envoyée',
    sent: (reference: string) => `Sa référence est ${reference}. Un courriel de confirmation vous a été envoyé ; le service client vous répondra à la même adresse.`,
    another: 'Envoyer une autre demande',
    direct: (email: string) => `Vous pouvez aussi écrire directement à ${email}.`,
  },
  backOffice: {
    pageTitle: 'Demandes d’assistance',
    title: 'Demandes d’assistance',
    lead: 'Demandes déposées par le formulaire de contact. La réponse est envoyée par courriel au demandeur.',
    filter: 'Afficher',
    open: 'À traiter',
    answered: 'Traitées',
    empty: 'Aucune demande.',
    caption: 'Demandes d’assistance',
    columns: ['Référence', 'Reçue le', 'Profil', 'Sujet', 'Objet'],
    from: 'Demandeur',
    answer: 'Votre réponse',
    send: 'Envoyer la réponse',
    answeredOn: (d: string) => `Réponse envoyée le ${d}`,
    forbidden: 'Cette page est réservée aux opérateurs de l’ANS.',
  },
  cgu: {
    pageTitle: 'Conditions générales d’utilisation',
    title: 'Conditions générales d’utilisation du portail RPPS+',
    version: `Version du ${rppsCguVersion.split('-').reverse().join('/')}`,
    link: 'Lire les conditions générales d’utilisation (nouvel onglet)',
    sections: [
      {
        title: '1. Objet',
        paragraphs: [
          'Le portail RPPS+ permet aux structures sociales et médico-sociales d’enregistrer dans le Répertoire partagé des professionnels intervenant dans le système de santé (RPPS) les professionnels à rôle qui ont besoin d’accéder à des données de santé, et à ces professionnels de se pré-enregistrer. Il est édité par l’Agence du Numérique en Santé (ANS).',
        ],
      },
      {
        title: '2. Utilisateurs',
        items: [
          'Le représentant légal de la structure, signataire du contrat d’adhésion, et les mandataires qu’il désigne ;',
          'les gestionnaires RPPS+ habilités par eux, après l’e-learning de l’ANS ;',
          'les professionnels, qui se pré-enregistrent avec FranceConnect et se connectent avec leur e-CPS.',
        ],
      },
      {
        title: '3. Engagements du gestionnaire',
        items: [
          'Recueillir l’état civil et les coordonnées du professionnel lors d’un face-à-face, pièce d’identité en main ;',
          'informer le professionnel des présentes conditions et de ses droits sur ses données personnelles ;',
          'ne jamais enregistrer une personne qui a déjà un numéro RPPS, et terminer la situation d’un professionnel qui quitte la structure ;',
          'garder confidentiels ses moyens d’identification (carte CPx, e-CPS).',
        ],
      },
      {
        title: '4. Engagements du professionnel',
        items: [
          'Fournir des informations exactes et à jour, notamment son courriel et son téléphone mobile personnels ;',
          'ne pas prêter son e-CPS ni communiquer ses codes.',
        ],
      },
      {
        title: '5. Données personnelles',
        paragraphs: [
          'L’état civil et les coordonnées sont conservés dans le RPPS et ne sont pas publiés. Le nom d’exercice, la profession, le rôle et la structure sont publiés dans l’Annuaire Santé. L’identité est vérifiée avec le répertoire national d’identification des personnes physiques ; une identité erronée est supprimée. Les droits d’accès, de rectification et de limitation s’exercent auprès de l’ANS (voir la page « Données personnelles »).',
        ],
      },
      {
        title: '6. Responsabilités',
        paragraphs: [
          'La structure est responsable des enregistrements faits en son nom. L’ANS peut suspendre un accès en cas d’usage non conforme. Toute modification des présentes conditions donne lieu à une nouvelle version, que les utilisateurs acceptent lors de leur prochaine déclaration.',
        ],
      },
    ],
    mie: {
      title: 'Conditions générales d’utilisation des moyens d’identification électronique (MIE) de l’ANS',
      version: `Référence ${mieCguVersion}`,
      paragraphs: [
        'L’ANS, fournisseur d’identité électronique, enregistre des personnes physiques et leur délivre des moyens d’identification électronique : cartes de la famille CPx, certificats logiciels de l’IGC Santé et e-CPS pour s’authentifier en mobilité.',
        'Le contrat d’adhésion engage la responsabilité de la personne morale et lui ouvre le droit de déclarer l’identité de ses salariés dans le RPPS et de commander les moyens d’identification associés, délivrés gratuitement par l’ANS.',
        'Le titulaire d’un moyen d’identification s’engage à le garder sous son contrôle exclusif, à ne pas le prêter, et à signaler sans délai sa perte ou son vol ; la structure s’engage à tenir à jour les informations de ses professionnels et à mettre fin aux droits de ceux qui la quittent.',
      ],
    },
  },
  audiences: [gestionnaire, representant, professionnel] as const,
};
