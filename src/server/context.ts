import type { Config } from './config.ts';
import type { Database } from './db/database.ts';

/** A source of "now", injected so tests can fix the date (STYLE.md §3). */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };

/** What every module receives: the dependencies it builds its services from. */
export interface AppContext {
  config: Config;
  db: Database;
  clock: Clock;
}
