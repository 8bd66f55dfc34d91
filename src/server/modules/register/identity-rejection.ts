import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.ts';
import type { OutgoingMail } from '../../mail/mailer.ts';
import type { MailService } from '../../mail/service.ts';
import { gestionnaireEmails } from '../preregistration/queries.ts';
import { formatRpps } from './mails.ts';

/**
 * Issue 15: when the ANS rejects an identity, access ends at once (e-CPS sign-in, DMP access
 * decisions, MSSanté eligibility: each reads person.identity_status), and the people who can put
 * it right are told what to do, through the outbox, in the decision's transaction: the
 * gestionnaires of the EG where the person works, and the professional himself. The mails carry
 * the RPPS number and the reviewer's reason, no état civil.
 */
export async function notifyIdentityRejected(
  trx: Kysely<DB>,
  mail: MailService | undefined,
  input: { personId: string; rpps: string; reason: string; publicUrl: string; decidedAt: Date },
): Promise<number> {
  if (!mail) return 0;
  const person = await trx.selectFrom('person').select('email').where('id', '=', input.personId).executeTakeFirst();
  const places = await trx
    .selectFrom('situation')
    .innerJoin('structure', 'structure.finess', 'situation.egFiness')
    .select(['situation.egFiness', 'structure.ejFiness'])
    .distinct()
    .where('situation.personId', '=', input.personId)
    .where('situation.status', '=', 'active')
    .execute();
  const staff = new Set<string>();
  for (const p of places) if (p.ejFiness) for (const to of await gestionnaireEmails(trx, p.ejFiness, p.egFiness)) staff.add(to);
  const key = `identity-rejected:${input.personId}:${input.decidedAt.getTime()}`;
  let sent = 0;
  for (const to of [...staff].sort()) {
    await mail.queueMail(trx, gestionnaireMail(to, input), `${key}:${to}`);
    sent++;
  }
  if (person?.email) {
    await mail.queueMail(trx, professionalMail(person.email, input), `${key}:professional`);
    sent++;
  }
  return sent;
}

const footer = (publicUrl: string) => ['', 'Ce message est envoyé automatiquement, merci de ne pas y répondre.', `RPPS+ — ${publicUrl}`];

function gestionnaireMail(to: string, i: { rpps: string; reason: string; publicUrl: string }): OutgoingMail {
  const text = [
    'Bonjour,',
    '',
    `L’ANS n’a pas pu confirmer l’identité du professionnel RPPS ${formatRpps(i.rpps)}, enregistré dans un établissement que vous gérez.`,
    `Motif indiqué par l’ANS : ${i.reason}`,
    '',
    'Tant que son identité n’est pas corrigée, ce professionnel ne peut plus se connecter avec son e-CPS, ses accès au DMP sont refusés et il n’est plus éligible à une messagerie MSSanté. Sa fiche n’est plus publiée dans l’annuaire.',
    '',
    'Ce que vous devez faire : vérifiez sa pièce d’identité avec lui, puis transmettez à l’assistance RPPS+ de l’ANS son état civil exact et une copie lisible de la pièce, en rappelant son numéro RPPS. L’ANS corrigera l’identité et l’examinera de nouveau.',
    ...footer(i.publicUrl),
  ].join('\n');
  return { to, subject: `Identité à corriger : professionnel RPPS ${i.rpps}`, text };
}

function professionalMail(to: string, i: { rpps: string; reason: string; publicUrl: string }): OutgoingMail {
  const text = [
    'Bonjour,',
    '',
    `L’ANS n’a pas pu confirmer l’identité enregistrée sous votre numéro RPPS ${formatRpps(i.rpps)}.`,
    `Motif : ${i.reason}`,
    '',
    'En attendant la correction, votre connexion avec l’e-CPS (Pro Santé Connect), vos accès au DMP et votre éligibilité à MSSanté sont suspendus.',
    '',
    'Ce que vous devez faire : présentez votre pièce d’identité au gestionnaire RPPS+ de votre structure, qui fera corriger votre état civil auprès de l’ANS. Vos accès seront rétablis dès que l’ANS aura confirmé votre identité.',
    ...footer(i.publicUrl),
  ].join('\n');
  return { to, subject: 'Votre identité au RPPS est à corriger', text };
}
