import type pg from 'pg';

/**
 * Drops a scratch PostgreSQL database (tests, benchmarks). `WITH (FORCE)` cannot end a backend
 * this role does not own — a connection still authenticating, an autovacuum worker on a freshly
 * loaded database — so the drop is retried for a while before giving up.
 */
export async function dropDatabase(admin: pg.Client, name: string, { attempts = 20, delayMs = 250 } = {}) {
  for (let attempt = 1; ; attempt++) {
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      return;
    } catch (err) {
      if (attempt >= attempts) throw err;
      await new Promise((resolve) => setTimeout(resolve, delayMs));
    }
  }
}
