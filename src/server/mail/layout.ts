import type { OutgoingMail } from './mailer.ts';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * A plain RPPS+ mail (text and HTML) made of paragraphs. `noReply` adds the "do not answer"
 * footer (automatic mails); a mail whose answer is expected (to the support desk) leaves it out.
 */
export function paragraphsMail(to: string, subject: string, paragraphs: readonly string[], publicUrl: string, options: { noReply?: boolean } = {}): OutgoingMail {
  const footer = options.noReply === false ? '' : 'Ce message est envoyé automatiquement, merci de ne pas y répondre.';
  const text = ['Bonjour,', '', ...paragraphs.flatMap((p) => [p, '']), ...(footer ? [footer] : []), `RPPS+ — ${publicUrl}`].join('\n');
  const html = `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>
<body style="font-family: Marianne, Arial, sans-serif; color: #161616; line-height: 1.5">
<p>Bonjour,</p>
${paragraphs.map((p) => `<p style="white-space: pre-line">${escapeHtml(p)}</p>`).join('\n')}
<p style="color: #666">${footer ? `${footer}<br>` : ''}RPPS+ — <a href="${escapeHtml(publicUrl)}">${escapeHtml(publicUrl)}</a></p>
</body></html>`;
  return { to, subject, text, html };
}
