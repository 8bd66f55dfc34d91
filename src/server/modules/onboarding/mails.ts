import { paragraphsMail } from '../../mail/layout.ts';

/** Mails of the onboarding to the représentant légal (issue 16, items 5 and 6). */

export const terminatedMail = (to: string, finess: string, reason: string, publicUrl: string) =>
  paragraphsMail(
    to,
    'RPPS+ : le contrat d’adhésion de votre structure est résilié',
    [
      `Le contrat d’adhésion à RPPS+ de la structure FINESS ${finess} a été résilié par l’ANS, pour le motif suivant :`,
      reason,
      'Les habilitations des gestionnaires et les mandats ont pris fin : plus personne ne peut enregistrer ni modifier les professionnels de la structure. Les professionnels déjà enregistrés restent publiés dans l’Annuaire Santé jusqu’à la signature d’un nouveau contrat ou une décision de l’ANS.',
      `Pour adhérer de nouveau : ${publicUrl}/adhesion. Pour toute question : ${publicUrl}/aide/contact`,
    ],
    publicUrl,
  );

export const successionMail = (to: string, finess: string, outcome: 'requested' | 'approved' | 'refused', publicUrl: string, reason?: string) =>
  paragraphsMail(
    to,
    {
      requested: 'RPPS+ : désignation d’un nouveau représentant légal',
      approved: 'RPPS+ : vous êtes le représentant légal de votre structure',
      refused: 'RPPS+ : la désignation d’un nouveau représentant légal est refusée',
    }[outcome],
    [
      {
        requested: `Une demande de désignation d’un nouveau représentant légal a été déposée pour la structure FINESS ${finess}. L’ANS va la vérifier.`,
        approved: `L’ANS a validé votre désignation comme représentant légal de la structure FINESS ${finess}. Votre carte de représentant légal (CDE) est commandée ; les habilitations, mandats et dossiers en cours de la structure sont inchangés.`,
        refused: `L’ANS a refusé la désignation d’un nouveau représentant légal pour la structure FINESS ${finess}${reason ? `, pour le motif suivant : ${reason}` : '.'}`,
      }[outcome],
      `Connectez-vous à RPPS+ : ${publicUrl}/mon-espace`,
    ],
    publicUrl,
  );
