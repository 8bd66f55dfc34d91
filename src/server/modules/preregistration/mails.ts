import { paragraphsMail } from '../../mail/layout.ts';

/**
 * Mails of the pre-registration. None carries the état civil: a mailbox may be shared. The
 * gestionnaire's mails name no professional at all, they point to the queue. Layout: mail/layout.ts.
 */
export const newRequestsMail = (to: string, publicUrl: string) =>
  paragraphsMail(
    to,
    'RPPS+ : des demandes de pré-enregistrement attendent votre validation',
    [
      'Un ou plusieurs professionnels de votre périmètre se sont pré-enregistrés avec FranceConnect et attendent que vous validiez leur demande après avoir vérifié leur identité en face à face.',
      `Consultez « Demandes à traiter » : ${publicUrl}/demandes-a-traiter`,
    ],
    publicUrl,
  );

export const reminderMail = (to: string, publicUrl: string, days: number, toLegalRepresentative: boolean) =>
  paragraphsMail(
    to,
    'RPPS+ : rappel — une demande de pré-enregistrement attend depuis plus de ' + days + ' jours',
    [
      `Une demande de pré-enregistrement d’un professionnel attend une décision depuis plus de ${days} jours.`,
      toLegalRepresentative
        ? 'Vous recevez ce rappel en tant que représentant légal : les gestionnaires de la structure ont déjà été relancés. Veillez à ce que la demande soit traitée.'
        : 'Le professionnel ne peut pas obtenir son numéro RPPS tant que la demande n’est pas validée.',
      `Consultez « Demandes à traiter » : ${publicUrl}/demandes-a-traiter`,
    ],
    publicUrl,
  );

// The validation mail is the register's registration mail (register/mails.ts), with its summary.

export const rejectedMail = (to: string, reason: string, publicUrl: string) =>
  paragraphsMail(
    to,
    'RPPS+ : votre demande de pré-enregistrement a été refusée',
    [
      'Le gestionnaire de la structure a refusé votre demande de pré-enregistrement, pour le motif suivant :',
      reason,
      `Vous pouvez déposer une nouvelle demande : ${publicUrl}/pre-enregistrement`,
    ],
    publicUrl,
  );
