import type { AddressInfo } from 'node:net';
import { parentPort } from 'node:worker_threads';
import { SMTPServer } from 'smtp-server';

/**
 * The mail bench's SMTP server, on a thread of its own (worker_threads): as in production, the
 * receiving side does not take CPU from the process that sends. Posts `{ port }` once listening,
 * then `{ at, messageId }` for each message fully received.
 */
const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  closeTimeout: 200,
  onData(stream, _session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => {
      const raw = Buffer.concat(chunks).toString();
      parentPort!.postMessage({ at: Date.now(), messageId: /^Message-ID: (<[^>]+>)/im.exec(raw)?.[1] ?? '' });
      callback();
    });
  },
});
server.listen(0, '127.0.0.1', () => parentPort!.postMessage({ port: (server.server.address() as AddressInfo).port }));
parentPort!.on('message', (m: { stop?: boolean }) => {
  if (m.stop) server.close(() => process.exit(0));
});
