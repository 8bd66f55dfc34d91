import type { OutgoingMail } from '../../mail/mailer.ts';

/** "10900000019" → "109 000 000 19": easier to read aloud and to copy. */
export const formatRpps = (rpps: string) => `${rpps.slice(0, 3)} ${rpps.slice(3, 6)} ${rpps.slice(6, 9)} ${rpps.slice(9)}`;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The mail sent to a professional once registered (guide ANS: "le numéro RPPS est transmis par
 * courriel"). It carries the RPPS number and nothing else about the person: no name, no birth
 * data, no structure (a mailbox may be shared or read on a lock screen).
 */
export function registrationMail(input: { to: string; rpps: string; publicUrl?: string }): OutgoingMail {
  const number = formatRpps(input.rpps);
  const site = input.publicUrl ?? '';
  const text = [
    'Bonjour,',
    '',
    'Votre structure employeuse vient de vous enregistrer au Répertoire partagé des professionnels intervenant dans le système de santé (RPPS).',
    '',
    `Votre numéro RPPS : ${input.rpps}`,
    '',
    'Ce numéro vous est attribué à vie : conservez ce message. Il vous permettra d’activer votre e-CPS (carte de professionnel de santé dématérialisée) pour vous connecter avec Pro Santé Connect aux services numériques en santé.',
    '',
    'Si vous n’êtes pas à l’origine de cet enregistrement ou si une information vous semble inexacte, adressez-vous au gestionnaire RPPS+ de votre structure.',
    '',
    'Ce message est envoyé automatiquement, merci de ne pas y répondre.',
    site ? `RPPS+ — ${site}` : 'RPPS+',
  ].join('\n');
  const html = `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Votre numéro RPPS</title></head>
<body style="font-family: Marianne, Arial, sans-serif; color: #161616; line-height: 1.5">
<p>Bonjour,</p>
<p>Votre structure employeuse vient de vous enregistrer au Répertoire partagé des professionnels intervenant dans le système de santé (RPPS).</p>
<p>Votre numéro RPPS&nbsp;: <strong style="font-size: 1.25em; letter-spacing: 0.05em" aria-label="${escapeHtml(input.rpps)}">${escapeHtml(number)}</strong></p>
<p>Ce numéro vous est attribué à vie&nbsp;: conservez ce message. Il vous permettra d’activer votre e-CPS (carte de professionnel de santé dématérialisée) pour vous connecter avec Pro Santé Connect aux services numériques en santé.</p>
<p>Si vous n’êtes pas à l’origine de cet enregistrement ou si une information vous semble inexacte, adressez-vous au gestionnaire RPPS+ de votre structure.</p>
<p style="color: #666">Ce message est envoyé automatiquement, merci de ne pas y répondre.<br>${site ? `RPPS+ — <a href="${escapeHtml(site)}">${escapeHtml(site)}</a>` : 'RPPS+'}</p>
</body></html>`;
  return { to: input.to, subject: `Votre numéro RPPS : ${input.rpps}`, text, html };
}

/**
 * The mail sent to a professional when a structure that had no situation of his adds one to his
 * record (issue 15): he learns it at once and can say it is not him. Nothing about him in it but
 * his number; the structure is not named either (a mailbox may be shared).
 */
export function newStructureMail(input: { to: string; rpps: string; token: string; publicUrl?: string }): OutgoingMail {
  const site = input.publicUrl ?? '';
  const link = `${site}/signalement/${input.token}`;
  const text = [
    'Bonjour,',
    '',
    `Une nouvelle structure vient d’ajouter une situation d’exercice à votre dossier au RPPS (numéro RPPS ${input.rpps}).`,
    '',
    'Si vous travaillez bien pour une nouvelle structure, vous n’avez rien à faire.',
    '',
    `Si ce n’est pas vous, signalez-le à l’Agence du numérique en santé en ouvrant ce lien : ${link}`,
    '',
    'Ce message est envoyé automatiquement, merci de ne pas y répondre.',
    site ? `RPPS+ — ${site}` : 'RPPS+',
  ].join('\n');
  const html = `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Nouvelle situation d’exercice</title></head>
<body style="font-family: Marianne, Arial, sans-serif; color: #161616; line-height: 1.5">
<p>Bonjour,</p>
<p>Une nouvelle structure vient d’ajouter une situation d’exercice à votre dossier au RPPS (numéro RPPS&nbsp;${escapeHtml(formatRpps(input.rpps))}).</p>
<p>Si vous travaillez bien pour une nouvelle structure, vous n’avez rien à faire.</p>
<p>Si ce n’est pas vous&nbsp;: <a href="${escapeHtml(link)}">signalez-le à l’Agence du numérique en santé</a>.</p>
<p style="color: #666">Ce message est envoyé automatiquement, merci de ne pas y répondre.<br>${site ? `RPPS+ — <a href="${escapeHtml(site)}">${escapeHtml(site)}</a>` : 'RPPS+'}</p>
</body></html>`;
  return { to: input.to, subject: 'Une nouvelle structure a ajouté une situation à votre dossier RPPS', text, html };
}
