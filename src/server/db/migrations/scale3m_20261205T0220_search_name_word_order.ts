import { type Kysely, sql } from 'kysely';

/**
 * The word index of the directory's names (migration scale3m_20261204T2230) learns the name order,
 * so that the search page's first page of a name prefix is read from it (issue 18; EXPLAIN in
 * docs/performance.md "Directory search API").
 *
 * The search page lists matches in name order (`family_search, given_search, id`). It walked the
 * covering name index from the start and filtered each entry: the matches of a surname prefix sit
 * in their alphabetical range, and the walk passed ~30,000 entries (compound names, first names)
 * before its 21 rows, at any size of the directory. With the name columns copied here and an index
 * on `(word, family_search, given_search, practitioner_id)` of the active entries, each distinct word
 * of the prefix's range gives its first entries in name order (a short range read each) and the
 * page is their merge.
 *
 * The table is rebuilt (not altered then updated: one pass instead of rewriting every row), with
 * the same rows, plus the two name columns; the triggers' functions insert them too. Named after
 * scale3m_20261204T2230 (which creates the table) so that it runs after it on a new database
 * (migrations run in name order).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE TABLE directory_name_word_next (
    word text COLLATE "C" NOT NULL,
    practitioner_id text NOT NULL,
    part char(1) NOT NULL CHECK (part IN ('f', 'g')),
    active boolean NOT NULL,
    family_search text NOT NULL,
    given_search text NOT NULL
  )`.execute(db);

  const wordsOf = (source: string) => `
    SELECT DISTINCT w.word, s.id, w.part, s.active, s.family_search, s.given_search
    FROM ${source} s
    CROSS JOIN LATERAL (
      SELECT regexp_split_to_table(s.family_search, ' ') AS word, 'f' AS part
      UNION ALL
      SELECT regexp_split_to_table(s.given_search, ' '), 'g'
    ) w
    WHERE w.word <> ''`;

  await sql`INSERT INTO directory_name_word_next (word, practitioner_id, part, active, family_search, given_search) ${sql.raw(wordsOf('directory_practitioner'))}`.execute(db);
  await sql`DROP TABLE directory_name_word`.execute(db);
  await sql`ALTER TABLE directory_name_word_next RENAME TO directory_name_word`.execute(db);
  await sql`CREATE INDEX directory_name_word_prefix ON directory_name_word (word, practitioner_id) INCLUDE (part, active)`.execute(db);
  await sql`CREATE INDEX directory_name_word_practitioner ON directory_name_word (practitioner_id)`.execute(db);
  await sql`CREATE INDEX directory_name_word_name_order ON directory_name_word (word, family_search, given_search, practitioner_id) WHERE active`.execute(db);
  await sql`ALTER TABLE directory_name_word ALTER COLUMN word SET STATISTICS 1000`.execute(db);

  await sql.raw(`
    CREATE OR REPLACE FUNCTION directory_name_words_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO directory_name_word (word, practitioner_id, part, active, family_search, given_search) ${wordsOf('new_rows')};
      RETURN NULL;
    END $$`).execute(db);
  await sql.raw(`
    CREATE OR REPLACE FUNCTION directory_name_words_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      -- Only the rows whose words or active flag changed (a new version of the situations alone leaves them).
      WITH changed AS (
        SELECT n.* FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE n.family_search IS DISTINCT FROM o.family_search OR n.given_search IS DISTINCT FROM o.given_search
           OR n.active IS DISTINCT FROM o.active
      ), gone AS (
        DELETE FROM directory_name_word WHERE practitioner_id IN (SELECT id FROM changed)
      )
      INSERT INTO directory_name_word (word, practitioner_id, part, active, family_search, given_search) ${wordsOf('changed')};
      RETURN NULL;
    END $$`).execute(db);
  await sql`ANALYZE directory_name_word`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX directory_name_word_name_order`.execute(db);
  await sql`ALTER TABLE directory_name_word DROP COLUMN family_search, DROP COLUMN given_search`.execute(db);
  const wordsOf = (source: string) => `
    SELECT DISTINCT w.word, s.id, w.part, s.active
    FROM ${source} s
    CROSS JOIN LATERAL (
      SELECT regexp_split_to_table(s.family_search, ' ') AS word, 'f' AS part
      UNION ALL
      SELECT regexp_split_to_table(s.given_search, ' '), 'g'
    ) w
    WHERE w.word <> ''`;
  await sql.raw(`
    CREATE OR REPLACE FUNCTION directory_name_words_insert() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      INSERT INTO directory_name_word (word, practitioner_id, part, active) ${wordsOf('new_rows')};
      RETURN NULL;
    END $$`).execute(db);
  await sql.raw(`
    CREATE OR REPLACE FUNCTION directory_name_words_update() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
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
}
