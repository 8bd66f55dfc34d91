import type { JobLogger } from './index.ts';

/** A started poller: `stop` waits for a running tick to finish. */
export interface Watcher {
  start(): void;
  stop(): Promise<void>;
  /** One round now (tests); does nothing while a round is running. */
  tick(): Promise<void>;
}

/**
 * Polls for pending work every `intervalMs` (300 ms by default) and runs `handle` when there is
 * some: the loop of the consumers of the register outbox (`register_event`), which must act within
 * a fraction of a second of a commit. One round at a time; a failed round is logged as
 * `failureEvent` (error name and code only: never data) and retried at the next tick.
 */
export function createWatcher(options: {
  hasPending(): Promise<boolean>;
  handle(): Promise<void>;
  failureEvent: string;
  intervalMs?: number;
  log?: JobLogger;
}): Watcher {
  const interval = options.intervalMs ?? 300;
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  async function tick() {
    if (running) return;
    running = true;
    try {
      if (await options.hasPending()) await options.handle();
    } catch (err) {
      options.log?.warn({ error: (err as Error)?.name, code: (err as { code?: unknown })?.code }, options.failureEvent);
    } finally {
      running = false;
    }
  }
  return {
    start() {
      if (!timer) timer = setInterval(() => void tick(), interval);
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      while (running) await new Promise((r) => setTimeout(r, 20));
    },
    tick,
  };
}
