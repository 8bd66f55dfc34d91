import { readFileSync } from 'node:fs';
import type { Database } from '../../db/database.ts';

/**
 * The two matrices of the seeds, loaded once (an empty matrix table) as the first versions.
 * Seed 000 (the ANS guide) documents the matrix at the opening of RPPS+ (December 2022);
 * seed 004 (the most recent deck) is the one in force. Seed 004 gives no effective date: we use
 * 2025-04-01, the date it gives for the latest rule change (e-learning for gestionnaires).
 */
export const seededVersions = [
  { label: 'Matrice du guide RPPS+ (décembre 2022)', effectiveFrom: '2022-12-01', rolesKey: 'rolesSeed000' },
  { label: 'Matrice du webinaire ANS 2025', effectiveFrom: '2025-04-01', rolesKey: 'rolesSeed004' },
] as const;

/**
 * The source shown under the matrix on the public page "Droits d’accès au DMP" (in French, with
 * no internal seed numbers: the data file's own `source` is the developers' note). The code
 * systems and their versions are those of ../referential/data/dmp-document-types.json.
 */
const seededSource =
  'Listes des types de documents par rôle : webinaire ANS 2025 (règles en vigueur pour RPPS+) et guide RPPS+ de décembre 2022. ' +
  'Codes : jeu de valeurs ANS JDV_J07-XdsTypeCode-CISIS (OID 1.2.250.1.213.1.1.5.471, version du 29 juin 2026) = LOINC ' +
  '+ TRE_A05-TypeDocComplementaire (OID 1.2.250.1.213.1.1.4.12, version du 29 mars 2024), terminologies de l’ANS 1.12.0.';

interface MatrixFile {
  items: Array<{ key: string; rolesSeed004: string[]; rolesSeed000: string[] }>;
}

export async function seedAccessMatrix(db: Database): Promise<void> {
  const existing = await db.selectFrom('accessMatrix').select('id').limit(1).executeTakeFirst();
  if (existing) return;
  const file = JSON.parse(
    readFileSync(new URL('../referential/data/dmp-document-types.json', import.meta.url), 'utf8'),
  ) as MatrixFile;
  await db.transaction().execute(async (trx) => {
    for (const version of seededVersions) {
      const { id } = await trx
        .insertInto('accessMatrix')
        .values({ label: version.label, effectiveFrom: version.effectiveFrom, source: seededSource, publishedBy: 'seed' })
        .onConflict((oc) => oc.column('effectiveFrom').doNothing())
        .returning('id')
        .executeTakeFirstOrThrow();
      const entries = file.items.flatMap((item) =>
        item[version.rolesKey].map((roleCode) => ({ matrixId: id, roleCode, documentType: item.key })),
      );
      if (entries.length > 0) await trx.insertInto('accessMatrixEntry').values(entries).execute();
    }
  });
}
