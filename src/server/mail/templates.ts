import type { OutgoingMail } from './mailer.ts';

/**
 * A mail stored as what it says rather than as its rendered text: the template's name and the
 * parameters its render function takes (a few hundred bytes where the text and HTML take ~4 kB).
 * The mail job renders it when it sends it (issue 18: a bulk import's 100,000 registration mails
 * are no longer rendered and stored inside the registering transactions). `to` and `subject` are
 * stored as they are, so the queue, the outbox list and the metrics read them without rendering.
 */
export interface MailIntent {
  to: string;
  subject: string;
  template: string;
  params: unknown;
}

export const isMailIntent = (mail: OutgoingMail | MailIntent): mail is MailIntent => 'template' in mail;

const renderers = new Map<string, (params: never) => OutgoingMail>();

/**
 * Declares a template: `render` turns the stored parameters into the mail, `head` gives its
 * recipient and subject without rendering it. The module owning a mail declares its template at
 * load (the process sending the mails loads it through its jobs); the parameters are stored as
 * JSON, so `render` must accept the parameters of mails queued by the previous version of the code.
 */
export function defineMailTemplate<P>(name: string, render: (params: P) => OutgoingMail, head: (params: P) => { to: string; subject: string }) {
  renderers.set(name, render as (params: never) => OutgoingMail);
  return { name, intent: (params: P): MailIntent => ({ ...head(params), template: name, params }) };
}

/** A template no declaration of this process knows: the attempt fails (and is retried) without sending. */
export class UnknownMailTemplateError extends Error {
  override name = 'UnknownMailTemplateError';
  readonly code = 'mail-template-unknown';
}

/**
 * The text and HTML of a stored mail: as stored, or rendered from its template (the stored
 * recipient and subject are kept).
 */
export function renderStoredMail<M extends { to: string; subject: string; text: string; html: string | null; template?: string | null; params?: unknown }>(mail: M): M & OutgoingMail {
  if (!mail.template) return mail;
  const render = renderers.get(mail.template);
  if (!render) throw new UnknownMailTemplateError(`unknown mail template ${mail.template}`);
  const rendered = render(mail.params as never);
  return { ...mail, text: rendered.text, html: rendered.html ?? null };
}

/** The mail an intent stands for, rendered now (a mail service that stores only rendered mails). */
export function renderIntent(intent: MailIntent): OutgoingMail {
  const { to, subject, text, html } = renderStoredMail({ to: intent.to, subject: intent.subject, text: '', html: null, template: intent.template, params: intent.params });
  return { to, subject, text, html };
}
