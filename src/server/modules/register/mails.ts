import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { OutgoingMail } from '../../mail/mailer.ts';
import { defineMailTemplate } from '../../mail/templates.ts';

/** "10900000019" → "109 000 000 19": easier to read aloud and to copy. */
export const formatRpps = (rpps: string) => `${rpps.slice(0, 3)} ${rpps.slice(3, 6)} ${rpps.slice(6, 9)} ${rpps.slice(9)}`;

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** "+33612345678" → "06 12 34 56 78"; a foreign number in its international form. */
function formatMobile(e164: string): string {
  const phone = parsePhoneNumberFromString(e164);
  if (!phone) return e164;
  return phone.country === 'FR' ? phone.formatNational() : phone.formatInternational();
}

/** What was registered (seed 000: "le récapitulatif des données enregistrées"); register/queries.ts builds it. */
export interface RegistrationSummary {
  rpps: string;
  email: string;
  mobile: string;
  egFiness: string;
  egName: string | null;
  profession: string;
  role: string;
  exerciseLastName: string;
  exerciseFirstName: string;
}

/**
 * Why the mail is sent: case 1 (the gestionnaire registered the professional), case 2 (his
 * pre-registration request was validated), or a new situation of a person already registered.
 */
export type RegistrationMailKind = 'registered' | 'preregistration-validated' | 'situation-added';

const intros: Record<RegistrationMailKind, string> = {
  registered: 'Votre structure employeuse vient de vous enregistrer au Répertoire partagé des professionnels intervenant dans le système de santé (RPPS).',
  'preregistration-validated':
    'Votre demande de pré-enregistrement a été validée par le gestionnaire de votre structure : vous êtes enregistré au Répertoire partagé des professionnels intervenant dans le système de santé (RPPS).',
  'situation-added': 'Une nouvelle situation d’exercice a été ajoutée à votre enregistrement au Répertoire partagé des professionnels intervenant dans le système de santé (RPPS).',
};

const registrationSubject = (rpps: string) => `Votre numéro RPPS : ${rpps}`;

/**
 * The mail a professional receives once registered (seed 000, "Informations communiquées au
 * professionnel enregistré"): the RPPS number and the summary of what was registered — e-mail,
 * mobile, raison sociale and FINESS of the EG, profession and role, exercise names as they
 * will appear in the Annuaire Santé — then how to have an error corrected and how to activate
 * the e-CPS. Never the état civil: no birth name, birth date or birth place (the exercise names
 * are public anyway).
 */
export function registrationMail(input: RegistrationMailInput): OutgoingMail {
  const s = input.summary;
  const site = input.publicUrl ?? '';
  const idnps = `8${s.rpps}`;
  const eg = s.egName ? `${s.egName} (FINESS ${s.egFiness})` : `FINESS ${s.egFiness}`;
  const recap: Array<[string, string]> = [
    ['Adresse électronique', s.email],
    ['Téléphone mobile (pour activer votre e-CPS)', formatMobile(s.mobile)],
    ['Établissement', eg],
    ['Profession', s.profession],
    ['Rôle', s.role],
    ['Nom et prénom d’exercice, tels qu’ils apparaîtront dans l’Annuaire Santé', `${s.exerciseFirstName} ${s.exerciseLastName}`],
  ];
  const correction = [
    'Une information est inexacte ?',
    'Établissement, profession, rôle, nom ou prénom d’exercice : adressez-vous au gestionnaire RPPS+ de votre structure, qui les corrige dans RPPS+.',
    `Adresse électronique ou téléphone mobile : une fois votre e-CPS activée, modifiez-les vous-même dans « Mon dossier RPPS »${site ? ` (${site}/mon-dossier-rpps)` : ''}.`,
    'Si vous n’êtes pas à l’origine de cet enregistrement, signalez-le au gestionnaire RPPS+ de votre structure.',
  ];
  const ecps = [
    'Activer votre e-CPS',
    'La e-CPS est votre carte de professionnel de santé dématérialisée : elle vous permet de vous connecter avec Pro Santé Connect aux services numériques en santé.',
    `1. Rendez-vous sur la page d’activation${site ? ` : ${site}/e-cps/activation` : ' de la e-CPS'}.`,
    `2. Saisissez votre identifiant : le chiffre 8 suivi de votre numéro RPPS, soit ${idnps}.`,
    '3. Saisissez le code reçu par SMS sur le téléphone mobile ci-dessus.',
  ];
  const text = [
    'Bonjour,',
    '',
    intros[input.kind ?? 'registered'],
    '',
    `Votre numéro RPPS : ${s.rpps}`,
    'Ce numéro vous est attribué à vie : conservez ce message.',
    '',
    'Ce qui a été enregistré :',
    ...recap.map(([k, v]) => `- ${k} : ${v}`),
    '',
    ...correction.map((l, i) => (i === 0 ? l : `- ${l}`)),
    '',
    ...ecps,
    '',
    'Ce message est envoyé automatiquement, merci de ne pas y répondre.',
    site ? `RPPS+ — ${site}` : 'RPPS+',
  ].join('\n');
  const html = `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Votre numéro RPPS</title></head>
<body style="font-family: Marianne, Arial, sans-serif; color: #161616; line-height: 1.5">
<p>Bonjour,</p>
<p>${escapeHtml(intros[input.kind ?? 'registered'])}</p>
<p>Votre numéro RPPS&nbsp;: <strong style="font-size: 1.25em; letter-spacing: 0.05em" aria-label="${escapeHtml(s.rpps)}">${escapeHtml(formatRpps(s.rpps))}</strong><br>Ce numéro vous est attribué à vie&nbsp;: conservez ce message.</p>
<h2 style="font-size: 1.1em">Ce qui a été enregistré</h2>
<ul>
${recap.map(([k, v]) => `<li>${escapeHtml(k)}&nbsp;: <strong>${escapeHtml(v)}</strong></li>`).join('\n')}
</ul>
<h2 style="font-size: 1.1em">${escapeHtml(correction[0]!)}</h2>
<ul>
${correction
  .slice(1)
  .map((l) => `<li>${escapeHtml(l)}</li>`)
  .join('\n')}
</ul>
<h2 style="font-size: 1.1em">${escapeHtml(ecps[0]!)}</h2>
<p>${escapeHtml(ecps[1]!)}</p>
<ol>
<li>Rendez-vous sur la page d’activation${site ? `&nbsp;: <a href="${escapeHtml(site)}/e-cps/activation">${escapeHtml(site)}/e-cps/activation</a>` : ' de la e-CPS'}.</li>
<li>Saisissez votre identifiant&nbsp;: le chiffre 8 suivi de votre numéro RPPS, soit <strong>${escapeHtml(idnps)}</strong>.</li>
<li>Saisissez le code reçu par SMS sur le téléphone mobile ci-dessus.</li>
</ol>
<p style="color: #666">Ce message est envoyé automatiquement, merci de ne pas y répondre.<br>${site ? `RPPS+ — <a href="${escapeHtml(site)}">${escapeHtml(site)}</a>` : 'RPPS+'}</p>
</body></html>`;
  return { to: input.to, subject: registrationSubject(s.rpps), text, html };
}

export interface RegistrationMailInput {
  to: string;
  summary: RegistrationSummary;
  publicUrl?: string;
  kind?: RegistrationMailKind;
}

const registrationTemplate = defineMailTemplate('register.registration', registrationMail, (input: RegistrationMailInput) => ({ to: input.to, subject: registrationSubject(input.summary.rpps) }));

/**
 * The same mail stored as its template and summary, rendered by the mail job when sent (a bulk
 * import's registrations: nothing rendered in the registering transaction).
 */
export const registrationMailIntent = registrationTemplate.intent;

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
