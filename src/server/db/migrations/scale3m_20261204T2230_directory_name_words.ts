import { type Kysely, sql } from 'kysely';

/**
 * The words of the published names, one row each, for word-prefix searches at 3 million
 * professionals (issue 18; EXPLAIN in docs/performance.md).
 *
 * A word-prefix search ("mar" finds MARTIN and ANNE-MARIE) is served by the trigram index on
 * `' ' || name_search` (migration 20261123T1450). At 3 M that index is the slow part: the posting
 * lists of a prefix's trigrams ("  m", " ma", "mar") hold hundreds of thousands of rows each, and
 * their intersection took 40–200 ms before the first row, however few were wanted; counting "up to
 * 1,000" matches by a sequential scan instead read 1,000 / selectivity rows (60–140 ms for a
 * surname of 0.4 %). Here the matches of a prefix are one contiguous range of a B-tree on the word
 * (`word >= 'mar' and word < 'mas'`, C collation), read in index order and stopped after what is
 * needed.
 *
 * - `part`: 'f' for a word of the family name, 'g' of the given name (FHIR `family`, `given`).
 * - `active` copies the professional's (the search page lists active ones only).
 * - One row per distinct (word, part) of a professional. Withdrawn professionals have empty names,
 *   hence no words.
 * - Kept by statement-level triggers on directory_practitioner (any writer: publication job, bulk
 *   publication, benchmarks' seeds), from the `*_search` columns already in `toSearchText` form.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE directory_name_word (
    word text COLLATE "C" NOT NULL,
    practitioner_id text NOT NULL,
    part char(1) NOT NULL CHECK (part IN ('f', 'g')),
    active boolean NOT NULL
  )`.execute(db);

  // The words of a set of directory_practitioner rows (a transition table or the table itself).
  const wordsOf = (source: string) => `
    SELECT DISTINCT w.word, s.id, w.part, s.active
    FROM ${source} s
    CROSS JOIN LATERAL (
      SELECT regexp_split_to_table(s.family_search, ' ') AS word, 'f' AS part
      UNION ALL
      SELECT regexp_split_to_table(s.given_search, ' '), 'g'
    ) w
    WHERE w.word <> ''`;

  await sql`INSERT INTO directory_name_word (word, practitioner_id, part, active) ${sql.raw(wordsOf('directory_practitioner'))}`.execute(db);
  await sql`CREATE INDEX directory_name_word_prefix ON directory_name_word (word, practitioner_id) INCLUDE (part, active)`.execute(db);
  await sql`CREATE INDEX directory_name_word_practitioner ON directory_name_word (practitioner_id)`.execute(db);
  await sql`ALTER TABLE directory_name_word ALTER COLUMN word SET STATISTICS 1000`.execute(db);

  await sql.raw(`
    CREATE FUNCTION directory_name_words_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO directory_name_word (word, practitioner_id, part, active) ${wordsOf('new_rows')};
      RETURN NULL;
    END $$`).execute(db);
  await sql.raw(`
    CREATE FUNCTION directory_name_words_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      -- Only the rows whose words or active flag changed (a new version of the situations alone leaves them).
      WITH changed AS (
        SELECT n.* FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE n.family_search IS DISTINCT FROM o.family_search OR n.given_search IS DISTINCT FROM o.given_search
           OR n.active IS DISTINCT FROM o.active
      ), gone AS (
        DELETE FROM directory_name_word WHERE practitioner_id IN (SELECT id FROM changed)
      )
      INSERT INTO directory_name_word (word, practitioner_id, part, active) ${wordsOf('changed')};
      RETURN NULL;
    END $$`).execute(db);
  await sql.raw(`
    CREATE FUNCTION directory_name_words_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      DELETE FROM directory_name_word WHERE practitioner_id IN (SELECT id FROM old_rows);
      RETURN NULL;
    END $$`).execute(db);
  await sql`CREATE TRIGGER directory_name_words_insert AFTER INSERT ON directory_practitioner
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION directory_name_words_insert()`.execute(db);
  await sql`CREATE TRIGGER directory_name_words_update AFTER UPDATE ON directory_practitioner
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION directory_name_words_update()`.execute(db);
  await sql`CREATE TRIGGER directory_name_words_delete AFTER DELETE ON directory_practitioner
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION directory_name_words_delete()`.execute(db);
  await sql`ANALYZE directory_name_word`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['insert', 'update', 'delete']) await sql`DROP TRIGGER ${sql.id(`directory_name_words_${t}`)} ON directory_practitioner`.execute(db);
  for (const t of ['insert', 'update', 'delete']) await sql`DROP FUNCTION ${sql.id(`directory_name_words_${t}`)}()`.execute(db);
  await sql`DROP TABLE directory_name_word`.execute(db);
}
