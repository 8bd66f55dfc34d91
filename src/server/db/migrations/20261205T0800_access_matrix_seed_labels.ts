import { sql, type Kysely } from 'kysely';

/**
 * The seeded DMP access matrix versions of databases seeded before 5 December 2026 carried an
 * internal seed number in their label ("(seed 004)") and the data file's English note as their
 * source, both shown on the public page "Droits d’accès au DMP". They get the French label and
 * source the seed now writes (src/server/modules/access/seed.ts). Rows published by an operator
 * are left as they are.
 */
const source =
  'Listes des types de documents par rôle : webinaire ANS 2025 (règles en vigueur pour RPPS+) et guide RPPS+ de décembre 2022. ' +
  'Codes : jeu de valeurs ANS JDV_J07-XdsTypeCode-CISIS (OID 1.2.250.1.213.1.1.5.471, version du 29 juin 2026) = LOINC ' +
  '+ TRE_A05-TypeDocComplementaire (OID 1.2.250.1.213.1.1.4.12, version du 29 mars 2024), terminologies de l’ANS 1.12.0.';
const labels = [
  ['Matrice du guide RPPS+ (seed 000)', 'Matrice du guide RPPS+ (décembre 2022)'],
  ['Matrice du webinaire ANS 2025 (seed 004)', 'Matrice du webinaire ANS 2025'],
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  for (const [old, label] of labels) {
    await sql`UPDATE access_matrix SET label = ${label}, source = ${source} WHERE published_by = 'seed' AND label = ${old}`.execute(db);
  }
}

export async function down(): Promise<void> {
  // The French label and source stay: the old ones were never meant to be shown.
}
