import { sql, type Kysely } from 'kysely';

/**
 * Aggregates of the operator dashboard (issue 18: an answer in < 200 ms at 3 M professionals).
 * Counting 3.9 M situations per request is out of budget, so a scheduled job
 * (`dashboard.refresh`) recomputes them in one transaction and the page reads these small tables:
 * - `dashboard_area_active`: distinct persons with an active situation per department, per region
 *   and for France (one row per GROUPING SETS level: a distinct count cannot be summed upwards);
 * - `dashboard_registration_day`: situations created (not deleted) per department and Europe/Paris
 *   day, with the department's running total: the registrations of any period are two index
 *   lookups per department (total at its last day minus total before its first), whatever its
 *   length. `department_key` is the department code, '' for structures with none (so that the
 *   unique index serves the lookups);
 * - `dashboard_refresh`: one row per refresh; the newest gives the "as of" time shown to the
 *   operator. `started_at` is the database time the refresh's snapshot was taken (a job created
 *   before it is already answered: see refresh.ts).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('dashboard_refresh')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('as_of', 'timestamptz', (c) => c.notNull())
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('duration_ms', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('dashboard_refresh_started_at_idx').on('dashboard_refresh').column('started_at').execute();

  await db.schema
    .createTable('dashboard_area_active')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    // grouping() of (department, region): 0 = a department, 2 = a region, 3 = France.
    .addColumn('level', 'smallint', (c) => c.notNull())
    .addColumn('department_code', 'text')
    .addColumn('region_code', 'text')
    .addColumn('active', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('dashboard_registration_day')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('department_key', 'text', (c) => c.notNull())
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('registrations', 'integer', (c) => c.notNull())
    .addColumn('cumulative', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('dashboard_registration_day_key').unique().on('dashboard_registration_day').columns(['department_key', 'day']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('dashboard_registration_day').execute();
  await db.schema.dropTable('dashboard_area_active').execute();
  await db.schema.dropTable('dashboard_refresh').execute();
}
