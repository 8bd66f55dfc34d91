import { parentPort, workerData } from 'node:worker_threads';
import { timed, wizard } from './register-load.ts';

/**
 * The HTTP wizard's clients on a thread of their own (worker_threads), as the mail bench's SMTP
 * server is: the server's thread does not also run the 10 browsers' requests. `warmup` wizards
 * first (untimed), then posts `{ warm: true }`, runs `count` timed and posts their timing.
 */
const { base, headers, first, warmupFirst, warmup, count } = workerData as { base: string; headers: Record<string, string>; first: number; warmupFirst: number; warmup: number; count: number };
await timed(warmup, 10, (i) => wizard(base, headers, warmupFirst + i));
parentPort!.postMessage({ warm: true });
parentPort!.postMessage(await timed(count, 10, (i) => wizard(base, headers, first + i)));
