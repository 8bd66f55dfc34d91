import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Database } from './db/database.ts';
import { seedDemoRoles } from './dev-idp/identities.ts';
import { seedDemoOnboarding } from './modules/onboarding/demo.ts';
import { importFinessFile } from './modules/structures/import/index.ts';

const fixturesDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/finess');

/** EJ before EG is not required (no foreign key), but reads naturally in the history. */
export const demoFinessFiles = [
  'etalab-cs1100501-sample.csv',
  'etalab-cs1100507-sample.csv',
  'finess-structures-sample.json.gz',
].map((f) => path.join(fixturesDir, f));

/**
 * The marker row: `nomenclature` already records "which version of which list is loaded",
 * so the demo set is one more list there rather than a table of its own.
 */
const marker = 'finess-demo';

/**
 * Demo data for `npm start` outside production and for the test template: the fictitious
 * FINESS samples of fixtures/finess. Runs at every start, so it is skipped when the same
 * fixture files (by hash) were already loaded; the import itself is idempotent anyway.
 */
export async function loadDemoData(db: Database): Promise<{ loaded: boolean }> {
  const hash = createHash('sha256');
  for (const file of demoFinessFiles) hash.update(fs.readFileSync(file));
  const version = hash.digest('hex').slice(0, 16);
  // Roles of the demo identities of the embedded identity providers (idempotent, cheap).
  await seedDemoRoles(db);
  const current = await db.selectFrom('nomenclature').select('version').where('kind', '=', marker).executeTakeFirst();
  const loaded = current?.version !== version;
  if (loaded) {
    for (const file of demoFinessFiles) {
      const report = await importFinessFile(db, file);
      if (!report.applied) throw new Error(`demo data: ${report.file} has ${report.invalid} invalid record(s)`);
    }
    await db
      .insertInto('nomenclature')
      .values({ kind: marker, source: 'fixtures/finess (fictitious FINESS samples)', codeSystem: null, version })
      .onConflict((oc) => oc.column('kind').doUpdateSet({ version, updatedAt: new Date() }))
      .execute();
  }
  // After the roles above: contracts and habilitations of the demo structures replace the
  // identities' fixture roles (src/server/modules/onboarding/demo.ts). Idempotent.
  await seedDemoOnboarding(db);
  return { loaded };
}
