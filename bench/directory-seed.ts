import { sql } from 'kysely';
import type { Database } from '../src/server/db/database.ts';
import { rppsFromPayload } from '../src/server/modules/register/rpps.ts';

/**
 * A generated public directory for the benchmarks: `count` professionals in the read model
 * (directory_practitioner, directory_practitioner_role) and the FINESS structures their situations
 * point to (a few thousand EG under a few hundred EJ), written set-based in SQL (INSERT … SELECT
 * generate_series over arrays of name parts), so a million professionals take seconds on
 * PostgreSQL instead of a million round trips from Node.
 *
 * - Names are stored as the register stores exercise names (upper case, no diacritics, hyphen,
 *   apostrophe, space: docs/register.md), drawn with a skew (common surnames are common), with
 *   compound surnames and first names: about 300,000 distinct names per million, so a name prefix
 *   has the selectivity of a real population. Searches may carry accents ("Lefèvre"): the
 *   `*_search` columns hold the `toSearchText` form, computed here in SQL the same way.
 * - RPPS numbers are valid (Luhn key computed in SQL): payloads from 1010000000, below the range
 *   the app allocates from (1090000000…) and clear of the demo identities (10001111227…).
 * - 1 or 2 situations each (30 % have two); 5 % of professionals have only ended situations
 *   (inactive), and 30 % of second situations are ended.
 * - Deterministic (hashint8 of the row number): the same count gives the same directory.
 *
 * Structures carry `source = 'bench:directory-seed'`. Call it on a fresh database.
 */
export const seedSource = 'bench:directory-seed';
const rppsBase = 1_010_000_000;

/** The RPPS number of the i-th generated professional (0-based): also his Practitioner id. */
export const seededRpps = (i: number) => rppsFromPayload(rppsBase + i);

export const surnames = `MARTIN BERNARD THOMAS PETIT ROBERT RICHARD DURAND DUBOIS MOREAU LAURENT SIMON MICHEL LEFEBVRE LEROY ROUX DAVID BERTRAND MOREL FOURNIER GIRARD BONNET DUPONT LAMBERT FONTAINE ROUSSEAU VINCENT MULLER LEFEVRE FAURE ANDRE MERCIER BLANC GUERIN BOYER GARNIER CHEVALIER FRANCOIS LEGRAND GAUTHIER GARCIA PERRIN ROBIN CLEMENT MORIN NICOLAS HENRY ROUSSEL MATHIEU GAUTIER MASSON MARCHAND DUVAL DENIS DUMONT MARIE LEMAIRE NOEL MEYER DUFOUR MEUNIER BRUN BLANCHARD GIRAUD JOLY RIVIERE LUCAS BRUNET GAILLARD BARBIER ARNAUD MARTINEZ GERARD ROCHE RENARD SCHMITT ROY LEROUX COLIN VIDAL CARON PICARD ROGER FABRE AUBERT LEMOINE RENAUD DUMAS LACROIX OLIVIER PHILIPPE BOURGEOIS PIERRE BENOIT REY LECLERC PAYET ROLLAND LECLERCQ GUILLAUME LECOMTE LOPEZ JEAN DUPUY GUILLOT HUBERT BERGER CARPENTIER SANCHEZ DUPUIS MOULIN LOUIS DESCHAMPS HUET VASSEUR PEREZ BOUCHER FLEURY ROYER KLEIN JACQUET ADAM PARIS POIRIER MARTY AUBRY GUYOT CARRE CHARLES RENAULT CHARPENTIER MENARD MAILLARD BARON BERTIN BAILLY HERVE SCHNEIDER FERNANDEZ LE_GALL COLLET LEGER BOUVIER JULIEN PREVOST MILLET PERROT DANIEL LE_ROUX COUSIN GERMAIN BRETON BESSON LANGLOIS REMY LE_GOFF PELLETIER LEVEQUE PERRIER LEBLANC BARRE LEBRUN MARCHAL WEBER MALLET HAMON BOULANGER JACOB MONNIER MICHAUD RODRIGUEZ GUICHARD GILLET ETIENNE GRONDIN POULAIN TESSIER CHEVALLIER COLLIN CHAUVIN DA_SILVA BOUCHET GAY LEMAITRE BENARD MARECHAL HUMBERT REYNAUD ANTOINE HOARAU PERRET BARTHELEMY CORDIER PICHON LEJEUNE GILBERT LAMY DELAUNAY PASQUIER CARLIER LAPORTE D'ALMEIDA N'DIAYE NGUYEN DOS_SANTOS BEN_ALI DIALLO TRAORE HADDAD BENSAID KONATE DE_LA_FONTAINE DU_PONT SAINT-MARTIN LE_BIHAN LE_CORRE KERBRAT TANGUY QUERE ETCHEVERRY ITURRIA OLHAGARAY PUJOL CASTANIER ESTEVE FERRER BOURDON CAMUS DELMAS TEXIER LEBRETON HEBERT PAPIN LEBON BOUVET MAUGER LEFORT GODARD DEVAUX DESCAMPS VERDIER DELORME DUCHENE CHARRIER LABBE LACOMBE TARDY ROUGIER PONS ALBERT VALLEE VOISIN JOUBERT MAURICE BRUNEAU GUILLON COLAS LAUNAY BOUQUET HUGUET CHAPUIS MONTAGNE GRAS COSTE ORTEGA SALMON LEGRIS DAUPHIN LAGARDE`
  .split(' ')
  .map((s) => s.replace(/_/g, ' '));

export const firstNames = `MARIE JEAN PIERRE MICHEL ANDRE PHILIPPE NATHALIE ISABELLE SYLVIE CATHERINE FRANCOISE MARTINE CHRISTINE NICOLAS CHRISTOPHE STEPHANE DAVID FREDERIC LAURENT SEBASTIEN JULIEN THOMAS CAMILLE LEA MANON CHLOE EMMA INES SARAH LAURA JULIE PAULINE LUCAS HUGO LOUIS GABRIEL ARTHUR NATHAN ENZO MATHIS THEO SANDRINE VALERIE CELINE AURELIE ELODIE EMILIE AUDREY MELANIE ALEXANDRE ANTOINE MAXIME KEVIN JEROME OLIVIER PATRICK ERIC BRUNO PASCAL DOMINIQUE CLAUDE ALAIN BERNARD DANIEL GERARD FATIMA AICHA MOHAMED KARIM YASMINE SOPHIE CAROLINE VIRGINIE ANNE HELENE AGNES BEATRICE BRIGITTE CECILE CHANTAL COLETTE DANIELE DELPHINE DENISE ELISABETH EVELYNE FLORENCE GENEVIEVE GHISLAINE JOSIANE JOSETTE LAETITIA LYDIE MAGALI MARLENE MICHELE MONIQUE MURIEL NADINE NOELLE ODILE PASCALE PATRICIA REGINE ROSELYNE SEVERINE SOLENE SYLVAINE THERESE VERONIQUE YVETTE ZOE JEROME GAELLE MAELYS LOIC GAETAN JOEL NOEMIE OCEANE CLEMENCE BENEDICTE ANAIS FRANCK REMI HERVE YANNICK ERWAN GWENAELLE KEVIN DYLAN MEHDI SAMIR NADIA LEILA SONIA ROMAIN GUILLAUME VINCENT BENOIT CEDRIC FABRICE THIERRY DIDIER XAVIER LUDOVIC MATHILDE CHARLOTTE JUSTINE MARGAUX ALICE LOUISE ROSE JEANNE LUCIE`.split(' ');

/** First words of compound first names (JEAN-PIERRE, MARIE-HELENE, ANNE-SOPHIE…). */
const compoundFirst = ['JEAN', 'MARIE', 'ANNE', 'PIERRE', 'LOUIS', 'PAUL'];

/** Departments of the generated structures: code, city (as FINESS writes it), postal code, INSEE code. */
const departments = `01 BOURG EN BRESSE 01000 01053|06 NICE 06000 06088|13 MARSEILLE 13005 13055|14 CAEN 14000 14118|21 DIJON 21000 21231|25 BESANCON 25000 25056|29 BREST 29200 29019|30 NIMES 30000 30189|31 TOULOUSE 31000 31555|33 BORDEAUX 33000 33063|34 MONTPELLIER 34000 34172|35 RENNES 35000 35238|37 TOURS 37000 37261|38 GRENOBLE 38000 38185|44 NANTES 44000 44109|45 ORLEANS 45000 45234|49 ANGERS 49000 49007|51 REIMS 51100 51454|57 METZ 57000 57463|59 LILLE 59000 59350|63 CLERMONT FERRAND 63000 63113|64 PAU 64000 64445|66 PERPIGNAN 66000 66136|67 STRASBOURG 67000 67482|69 LYON 69003 69123|72 LE MANS 72000 72181|75 PARIS 75012 75056|76 ROUEN 76000 76540|80 AMIENS 80000 80021|83 TOULON 83000 83137|84 AVIGNON 84000 84007|86 POITIERS 86000 86194|87 LIMOGES 87000 87085|92 NANTERRE 92000 92050|93 BOBIGNY 93000 93008|94 CRETEIL 94000 94028`
  .split('|')
  .map((d) => {
    const w = d.split(' ');
    return { code: w[0]!, city: w.slice(1, -2).join(' '), postal: w.at(-2)!, insee: w.at(-1)! };
  });

/** FINESS EG categories (code, label, name prefix). */
const categories: [string, string, string][] = [
  ['500', "Etablissement d'hébergement pour personnes âgées dépendantes", 'EHPAD'],
  ['437', "Foyer d'accueil médicalisé pour adultes handicapés", 'FAM'],
  ['255', "Maison d'accueil spécialisée", 'MAS'],
  ['183', 'Institut médico-éducatif', 'IME'],
  ['354', 'Service de soins infirmiers à domicile', 'SSIAD'],
  ['460', "Service d'aide et d'accompagnement à domicile", 'SAAD'],
  ['182', "Service d'éducation spéciale et de soins à domicile", 'SESSAD'],
  ['246', "Etablissement et service d'aide par le travail", 'ESAT'],
  ['214', "Centre d'hébergement et de réinsertion sociale", 'CHRS'],
  ['252', "Foyer de vie pour adultes handicapés", 'FOYER DE VIE'],
];
const residences = `LES TILLEULS|LES GLYCINES|LE CLOS FLEURI|LES JARDINS D'AUTOMNE|LA ROSERAIE|LES CHARMILLES|SAINTE MARIE|SAINT JOSEPH|LES PEUPLIERS|LE VAL FLEURI|LES HIRONDELLES|LA SOURCE|LES ECUREUILS|LES LILAS|L'OREE DU BOIS|LE CHATEAU|LES CEDRES|BELLEVUE|LES MIMOSAS|LES MAGNOLIAS|LES AUBEPINES|LE PRE VERT|LES VIGNES|LA CHENAIE|LES BRUYERES`.split('|');

/** Profession (TRE_R85) and role (TRE_R22) of a situation, repeated by weight. */
const jobs = [
  ...Array<string>(6).fill('313 GENR11'),
  ...Array<string>(4).fill('328 GENR10'),
  ...Array<string>(3).fill('323 GENR11'),
  ...Array<string>(3).fill('326 GENR10'),
  ...Array<string>(2).fill('372 GENR10'),
  ...Array<string>(2).fill('371 GENR10'),
  '324 GENR10', '325 GENR10', '315 GENR11', '318 GENR10', '322 GENR10', '327 GENR10', '361 GENR10', '314 GENR11',
  '359 GENR12', '331 GENR13', '332 GENR13', '330 GENR08', '320 GENR08', '365 GENR09', '319 GENR10', '312 GENR09',
];

/**
 * The Luhn key digit of a `digits`-digit payload held in the bigint column `payload`, as SQL
 * (the digit next to the key is doubled, then every other one; a doubled digit over 9 loses 9).
 * Same rule as `luhnKey` in src/server/identifiers.ts.
 */
function luhnKeySql(digits: number) {
  const terms = Array.from({ length: digits }, (_, k) => {
    const d = `((payload / ${10 ** k}) % 10)`;
    return k % 2 === 0 ? `((2 * ${d}) / 10 + (2 * ${d}) % 10)` : d;
  });
  return sql.raw(`((10 - (${terms.join(' + ')}) % 10) % 10)`);
}

/** A number in [0, 1) from the row number and a salt (deterministic). */
const u = (salt: number) => sql.raw(`((hashint8(i * 7 + ${salt}) & 2147483647)::float8 / 2147483648.0)`);
/** The toSearchText form of upper-case A–Z names, in SQL. */
const searchForm = (expr: string) => sql.raw(`btrim(lower(regexp_replace(${expr}, '[^A-Z0-9]+', ' ', 'g')))`);

export interface DirectorySeedReport {
  seconds: number;
  practitioners: number;
  roles: number;
  structures: number;
}

export async function seedDirectory(db: Database, count: number, options: { batchSize?: number } = {}): Promise<DirectorySeedReport> {
  const started = performance.now();
  const egCount = Math.max(20, Math.min(4000, Math.round(count / 250)));
  const ejCount = Math.max(5, Math.round(egCount / 8));
  const batchSize = options.batchSize ?? 100_000;

  // Structures: EJ then EG; FINESS = department + 9 + 5-digit counter + Luhn key (the demo
  // structures have 0 or 8 in third position, so no clash). EG j belongs to EJ j % ejCount.
  const depts = sql.val(departments.map((d) => d.code));
  const cities = sql.val(departments.map((d) => d.city));
  const postals = sql.val(departments.map((d) => d.postal));
  const insees = sql.val(departments.map((d) => d.insee));
  const nd = departments.length;
  await sql`
    WITH g AS (
      SELECT i, kind, d, (${depts}::text[])[d]::bigint * 1000000 + 900000 + i AS payload
      FROM (SELECT i, 'EJ' AS kind, 1 + i % ${nd} AS d FROM generate_series(0, ${ejCount - 1}::bigint) AS i
            UNION ALL
            SELECT i, 'EG', 1 + (i % ${ejCount}) % ${nd} FROM generate_series(${ejCount}::bigint, ${ejCount + egCount - 1}::bigint) AS i) s
    ), f AS (
      SELECT g.*, lpad(payload::text, 8, '0') || ${luhnKeySql(8)}::text AS finess,
             (${sql.val(categories.map((c) => c[0]))}::text[])[1 + (hashint8(i) & 2147483647) % ${categories.length}] AS category_code,
             (${sql.val(categories.map((c) => c[1]))}::text[])[1 + (hashint8(i) & 2147483647) % ${categories.length}] AS category_label,
             (${sql.val(categories.map((c) => c[2]))}::text[])[1 + (hashint8(i) & 2147483647) % ${categories.length}] AS prefix,
             (${sql.val(residences)}::text[])[1 + (hashint8(i + 1) & 2147483647) % ${residences.length}] AS residence
      FROM g
    ), ej AS (
      SELECT i, finess FROM f WHERE kind = 'EJ'
    )
    INSERT INTO structure (finess, kind, ej_finess, name, long_name, category_code, category_label, legal_status_code, legal_status_label,
                           siret, siren, address_line, postal_code, city, insee_code, department_code, opened_on, search_text, source)
    SELECT f.finess, f.kind, ej.finess,
           CASE WHEN f.kind = 'EJ' THEN 'ASSOCIATION ' || f.residence || ' ' || (${cities}::text[])[f.d] ELSE f.prefix || ' ' || f.residence END,
           CASE WHEN f.kind = 'EJ' THEN NULL ELSE f.prefix || ' ' || f.residence || ' - ' || (${cities}::text[])[f.d] END,
           CASE WHEN f.kind = 'EG' THEN f.category_code END, CASE WHEN f.kind = 'EG' THEN f.category_label END,
           CASE WHEN f.kind = 'EJ' THEN '60' END, CASE WHEN f.kind = 'EJ' THEN 'Association Loi 1901 non Reconnue d''Utilité Publique' END,
           NULL, NULL, (1 + f.i % 120)::text || ' RUE DES ' || f.residence, (${postals}::text[])[f.d], (${cities}::text[])[f.d],
           (${insees}::text[])[f.d], (${depts}::text[])[f.d], DATE '1970-01-01' + (f.i * 37 % 18000)::int,
           lower(CASE WHEN f.kind = 'EJ' THEN 'association ' || f.residence ELSE f.prefix || ' ' || f.residence END || ' ' || (${cities}::text[])[f.d] || ' ' || f.finess),
           ${seedSource}
    FROM f LEFT JOIN ej ON f.kind = 'EG' AND ej.i = f.i % ${ejCount}
    ON CONFLICT (finess) DO NOTHING`.execute(db);

  // Secondary indexes of the read model are dropped during the load and rebuilt after it from
  // their own definitions (pg_indexes): building a trigram index once is many times faster than
  // maintaining it row by row, and the rebuilt indexes are exactly the migrations' ones (with
  // their columns' statistics targets, which the definition does not carry).
  const { rows: indexes } = await sql<{ name: string; definition: string; targets: [number, number][] }>`
    SELECT i.indexname AS name, i.indexdef AS definition,
      (SELECT coalesce(json_agg(json_build_array(a.attnum, a.attstattarget)), '[]'::json) FROM pg_attribute a
       WHERE a.attrelid = format('%I', i.indexname)::regclass AND a.attstattarget > 0) AS targets
    FROM pg_indexes i
    WHERE i.schemaname = current_schema() AND i.tablename IN ('directory_practitioner', 'directory_practitioner_role', 'directory_name_word')
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)`.execute(db);
  for (const index of indexes) await sql`DROP INDEX ${sql.id(index.name)}`.execute(db);

  const fam = sql.val(surnames);
  const first = sql.val(firstNames);
  const comp = sql.val(compoundFirst);
  const job = sql.val(jobs);
  const nf = surnames.length;
  const ng = firstNames.length;
  for (let from = 0; from < count; from += batchSize) {
    const to = Math.min(count, from + batchSize) - 1;
    await sql`
      WITH g AS MATERIALIZED (
        SELECT i, ${rppsBase}::bigint + i AS payload,
               floor(${nf} * ${u(1)} ^ 1.4)::int AS f1,
               floor(${nf - 1} * ${u(2)})::int AS f2,
               ${u(3)} < 0.25 AS compound_family,
               floor(${ng} * ${u(4)} ^ 1.3)::int AS g1,
               ${u(5)} < 0.12 AS compound_given,
               floor(${compoundFirst.length} * ${u(6)})::int AS g0,
               CASE WHEN ${u(7)} < 0.30 THEN 2 ELSE 1 END AS situations,
               ${u(8)} < 0.05 AS inactive,
               now() - make_interval(secs => floor(${u(9)} * 730 * 86400)) AS last_updated
        FROM generate_series(${from}::bigint, ${to}::bigint) AS i
      ), n AS (
        SELECT g.*, lpad(payload::text, 10, '0') || ${luhnKeySql(10)}::text AS rpps,
               (${fam}::text[])[1 + f1] || CASE WHEN compound_family THEN '-' || (${fam}::text[])[1 + (f1 + 1 + f2) % ${nf}] ELSE '' END AS family,
               CASE WHEN compound_given THEN (${comp}::text[])[1 + g0] || '-' ELSE '' END || (${first}::text[])[1 + g1] AS given
        FROM g
      ), p AS (
        INSERT INTO directory_practitioner (id, rpps, family, given, family_search, given_search, name_search, active, withdrawn, version_id, last_updated)
        SELECT rpps, rpps, family, given, ${searchForm('family')}, ${searchForm('given')}, ${searchForm("family || ' ' || given")},
               NOT inactive, false, 1, last_updated
        FROM n
        ON CONFLICT (id) DO NOTHING
      ), r AS (
        SELECT n.i, n.rpps, n.inactive, n.last_updated, k,
               (hashint8(n.i * 3 + k) & 2147483647) % ${egCount} AS eg,
               split_part((${job}::text[])[1 + (hashint8(n.i * 5 + k) & 2147483647) % ${jobs.length}], ' ', 1) AS profession_code,
               split_part((${job}::text[])[1 + (hashint8(n.i * 5 + k) & 2147483647) % ${jobs.length}], ' ', 2) AS role_code,
               DATE '2000-01-01' + ((hashint8(n.i * 11 + k) & 2147483647) % 9000)::int AS start_date,
               n.inactive OR (k = 2 AND (hashint8(n.i * 13) & 2147483647) % 100 < 30) AS ended
        FROM n CROSS JOIN LATERAL generate_series(1, n.situations) AS k
      ), eg AS (
        SELECT finess, ej_finess, name, department_code, row_number() OVER (ORDER BY finess) - 1 AS n
        FROM structure WHERE source = ${seedSource} AND kind = 'EG'
      )
      INSERT INTO directory_practitioner_role (id, practitioner_id, rpps, eg_finess, ej_finess, eg_name, department_code, profession_code,
                                               profession_label, role_code, role_label, mode_code, start_date, end_date, active, withdrawn,
                                               version_id, last_updated)
      SELECT md5(${seedSource}::text || r.i || ':' || r.k)::uuid::text, r.rpps, r.rpps, eg.finess, eg.ej_finess, eg.name, eg.department_code,
             r.profession_code, pl.label, r.role_code, rl.label, 'S', r.start_date,
             CASE WHEN r.ended THEN r.start_date + floor((CURRENT_DATE - 1 - r.start_date) * ((hashint8(r.i * 17 + r.k) & 2147483647) % 1000 + 1) / 1000.0)::int END,
             NOT r.ended, false, 1, r.last_updated
      FROM r
      JOIN eg ON eg.n = r.eg
      LEFT JOIN nomenclature_code pl ON pl.kind = 'profession' AND pl.code = r.profession_code
      LEFT JOIN nomenclature_code rl ON rl.kind = 'role' AND rl.code = r.role_code
      ON CONFLICT (id) DO NOTHING`.execute(db);
  }
  await db.transaction().execute(async (trx) => {
    await sql`SET LOCAL maintenance_work_mem = '256MB'`.execute(trx);
    for (const index of indexes) {
      await sql.raw(index.definition).execute(trx);
      for (const [column, target] of index.targets) {
        await sql`ALTER INDEX ${sql.id(index.name)} ALTER COLUMN ${sql.raw(String(Number(column)))} SET STATISTICS ${sql.raw(String(Number(target)))}`.execute(trx);
      }
    }
  });
  await sql`ANALYZE structure`.execute(db);
  // VACUUM too, as autovacuum does on a live table: it sets the visibility map that index-only scans
  // (the search page's name order) rely on.
  await sql`VACUUM (ANALYZE) directory_practitioner`.execute(db);
  await sql`VACUUM (ANALYZE) directory_name_word`.execute(db);
  await sql`ANALYZE directory_practitioner_role`.execute(db);

  const counted = await sql<{ practitioners: number; roles: number; structures: number }>`
    SELECT (SELECT count(*) FROM directory_practitioner)::int AS practitioners,
           (SELECT count(*) FROM directory_practitioner_role)::int AS roles,
           (SELECT count(*) FROM structure WHERE source = ${seedSource})::int AS structures`.execute(db);
  return { seconds: (performance.now() - started) / 1000, ...counted.rows[0]! };
}
