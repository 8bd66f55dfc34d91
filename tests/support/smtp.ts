import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A mail as the in-process SMTP server received it. */
export interface ReceivedMail {
  /** Date.now() when the message was fully received. */
  at: number;
  to: string[];
  raw: string;
}

/**
 * A real SMTP server in-process, standing for the real one (STACK.md, Mail): every message it
 * receives is pushed to `received`. `port` 0 picks a free one (pass a known port to restart it).
 */
export async function startSmtp(received: ReceivedMail[], port = 0): Promise<{ server: SMTPServer; port: number }> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    // Stopping drops open client connections (a pooled mailer keeps some) soon, as a server going down does.
    closeTimeout: 200,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({ at: Date.now(), to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString() });
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  // Once listening, an 'error' is a client's connection failing (a sender killed with kill -9 mid-
  // session resets it): the client's problem, as for a real server. Unhandled, it would crash the
  // test process.
  server.on('error', () => {});
  return { server, port: (server.server.address() as AddressInfo).port };
}

export const stopSmtp = (server: SMTPServer) => new Promise<void>((resolve) => server.close(() => resolve()));
