import { paragraphsMail } from '../../mail/layout.ts';

/** Mails of the help desk (seed 004: « Hotline ANS / RPPS+ »). */
const audienceLabel: Record<string, string> = {
  gestionnaire: 'Gestionnaire RPPS+',
  representant: 'Représentant légal ou mandataire',
  professionnel: 'Professionnel',
  autre: 'Autre',
};
const topicLabel: Record<string, string> = {
  adhesion: 'Adhésion de la structure (contrat)',
  habilitation: 'Habilitation des gestionnaires',
  enregistrement: 'Enregistrement d’un professionnel',
  'pre-enregistrement': 'Pré-enregistrement',
  'e-cps': 'Activation de la e-CPS',
  import: 'Import en masse',
  autre: 'Autre question',
};

interface Filed {
  reference: string;
  audience: string;
  topic: string;
  name: string;
  email: string;
  finess: string | null;
  subject: string;
  message: string;
}

/** To the support desk: the whole request, so it can be handled from the mailbox too. */
export const toSupportMail = (to: string, r: Filed, publicUrl: string) =>
  paragraphsMail(
    to,
    `[${r.reference}] ${r.subject}`,
    [
      `Nouvelle demande d’assistance ${r.reference} déposée sur le portail RPPS+.`,
      `Profil : ${audienceLabel[r.audience] ?? r.audience}\nSujet : ${topicLabel[r.topic] ?? r.topic}${r.finess ? `\nFINESS : ${r.finess}` : ''}`,
      `Demandeur : ${r.name} <${r.email}>`,
      `Objet : ${r.subject}`,
      r.message,
      `Répondre depuis le back-office : ${publicUrl}/back-office/assistance`,
    ],
    publicUrl,
    { noReply: false },
  );

export const acknowledgementMail = (r: Filed, publicUrl: string) =>
  paragraphsMail(
    r.email,
    `RPPS+ : votre demande d’assistance ${r.reference} a bien été reçue`,
    [
      `Nous avons bien reçu votre demande « ${r.subject} ». Sa référence est ${r.reference} : rappelez-la dans vos échanges avec le service client.`,
      'Le service client de l’ANS vous répondra par courriel à cette adresse.',
      `Vous trouverez peut-être la réponse dès maintenant dans l’aide en ligne : ${publicUrl}/aide`,
    ],
    publicUrl,
  );

export const answerMail = (r: { reference: string; email: string; subject: string }, answer: string, publicUrl: string) =>
  paragraphsMail(
    r.email,
    `RPPS+ : réponse à votre demande ${r.reference}`,
    [`Voici la réponse du service client de l’ANS à votre demande « ${r.subject} » (référence ${r.reference}) :`, answer, `Pour une nouvelle question : ${publicUrl}/aide/contact`],
    publicUrl,
  );
