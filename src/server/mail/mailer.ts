import nodemailer from 'nodemailer';

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
  html?: string | null;
}

/** How a mail leaves the application. */
export interface Mailer {
  /** `smtp`: handed to the SMTP server at SMTP_URL; `outbox`: kept in the local outbox only. */
  readonly delivery: 'smtp' | 'outbox';
  /** `messageId` is stable across retries so a receiving server can drop a duplicate. */
  send(mail: OutgoingMail & { messageId: string }): Promise<void>;
  close(): void;
}

/** SMTP connections kept open and used side by side (the mail job runs this many sends at once). */
export const smtpConnections = 5;

/**
 * nodemailer to SMTP_URL (e.g. `smtp://user:pass@host:587`; query options such as
 * `?ignoreTLS=true` are read by nodemailer). Timeouts are short: a stuck server fails the attempt
 * and the job retries later, rather than holding a worker for minutes. Pooled: up to
 * `smtpConnections` connections stay open and carry many messages each, instead of one TCP and
 * SMTP handshake per mail.
 */
export function createSmtpMailer(smtpUrl: string, from: string): Mailer {
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: smtpConnections,
    maxMessages: 1000,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    delivery: 'smtp',
    async send(mail) {
      await transport.sendMail({
        from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html ?? undefined,
        messageId: mail.messageId,
      });
    },
    close: () => transport.close(),
  };
}

/** Without SMTP_URL: nothing leaves; the stored mail is the delivery (development outbox). */
export const outboxMailer: Mailer = {
  delivery: 'outbox',
  async send() {},
  close() {},
};

export function createMailer(config: { smtpUrl: string | undefined; mailFrom: string }): Mailer {
  return config.smtpUrl ? createSmtpMailer(config.smtpUrl, config.mailFrom) : outboxMailer;
}
