import { type Kysely, sql } from 'kysely';

/**
 * A generated register population for the register benchmarks: realistic name clusters (a few
 * hundred common surnames and first names), birth dates spread over 50 years (each birth date
 * holds persons / 18,262 of them), both sexes, and birth places spread over 60 communes and 10
 * countries as in a national register. Fictitious.
 */
export const surnames = `MARTIN BERNARD THOMAS PETIT ROBERT RICHARD DURAND DUBOIS MOREAU LAURENT SIMON MICHEL LEFEBVRE LEROY ROUX DAVID BERTRAND MOREL FOURNIER GIRARD BONNET DUPONT LAMBERT FONTAINE ROUSSEAU VINCENT MULLER LEFEVRE FAURE ANDRE MERCIER BLANC GUERIN BOYER GARNIER CHEVALIER FRANCOIS LEGRAND GAUTHIER GARCIA PERRIN ROBIN CLEMENT MORIN NICOLAS HENRY ROUSSEL MATHIEU GAUTIER MASSON MARCHAND DUVAL DENIS DUMONT MARIE LEMAIRE NOEL MEYER DUFOUR MEUNIER BRUN BLANCHARD GIRAUD JOLY RIVIERE LUCAS BRUNET GAILLARD BARBIER ARNAUD MARTINEZ GERARD ROCHE RENARD SCHMITT ROY LEROUX COLIN VIDAL CARON PICARD ROGER FABRE AUBERT LEMOINE RENAUD DUMAS LACROIX OLIVIER PHILIPPE BOURGEOIS PIERRE BENOIT REY LECLERC PAYET ROLLAND LECLERCQ GUILLAUME LECOMTE LOPEZ JEAN DUPUY GUILLOT HUBERT BERGER CARPENTIER SANCHEZ DUPUIS MOULIN LOUIS DESCHAMPS HUET VASSEUR PEREZ BOUCHER FLEURY ROYER KLEIN JACQUET ADAM PARIS POIRIER MARTY AUBRY GUYOT CARRE CHARLES RENAULT CHARPENTIER MENARD MAILLARD BARON BERTIN BAILLY HERVE SCHNEIDER FERNANDEZ LE-GALL COLLET LEGER BOUVIER JULIEN PREVOST MILLET PERROT DANIEL LE-ROUX COUSIN GERMAIN BRETON BESSON LANGLOIS REMY LE-GOFF PELLETIER LEVEQUE PERRIER LEBLANC BARRE LEBRUN MARCHAL WEBER MALLET HAMON BOULANGER JACOB MONNIER MICHAUD RODRIGUEZ GUICHARD GILLET ETIENNE GRONDIN POULAIN TESSIER CHEVALLIER COLLIN CHAUVIN DA-SILVA BOUCHET GAY LEMAITRE BENARD MARECHAL HUMBERT REYNAUD ANTOINE HOARAU PERRET BARTHELEMY CORDIER PICHON LEJEUNE GILBERT LAMY DELAUNAY PASQUIER CARLIER LAPORTE`.split(' ');
export const firstNames = `MARIE JEAN PIERRE MICHEL ANDRE PHILIPPE NATHALIE ISABELLE SYLVIE CATHERINE FRANCOISE MARTINE CHRISTINE NICOLAS CHRISTOPHE STEPHANE DAVID FREDERIC LAURENT SEBASTIEN JULIEN THOMAS CAMILLE LEA MANON CHLOE EMMA INES SARAH LAURA JULIE PAULINE LUCAS HUGO LOUIS GABRIEL ARTHUR NATHAN ENZO MATHIS THEO SANDRINE VALERIE CELINE AURELIE ELODIE EMILIE AUDREY MELANIE ALEXANDRE ANTOINE MAXIME KEVIN JEROME OLIVIER PATRICK ERIC BRUNO PASCAL DOMINIQUE CLAUDE ALAIN BERNARD DANIEL GERARD FATIMA AICHA MOHAMED KARIM YASMINE SOPHIE CAROLINE VIRGINIE ANNE HELENE`.split(' ');


const communes = `75056 13055 69123 31555 06088 44109 67482 34172 33063 59350 35238 51454 83137 76351 42218 38185 49007 21231 30189 80021 63113 37261 25056 87085 14118 57463 72181 54395 66136 29019 45234 86194 68224 64445 97411 97209 97101 2A004 2B033 01053 02691 03185 10387 11069 12202 16015 17300 18033 19272 22278 23096 24322 26362 27229 28085 36044 39198 40192 41018`.split(' ');
const countries = `99350 99352 99351 99139 99127 99134 99109 99341 99243 99122`.split(' ');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function seedPersons(db: Kysely<any>, persons: number, options: { offset?: number } = {}) {
  const batch = 100_000;
  const offset = options.offset ?? 0;
  for (let from = offset; from < offset + persons; from += batch) {
    const to = Math.min(offset + persons, from + batch) - 1;
    await sql`
      WITH g AS (
        SELECT i, 8000000000 + i AS payload,
               (${sql.val(surnames)}::text[])[1 + (hashint8(i) & 2147483647) % ${surnames.length}] AS birth_name,
               (${sql.val(firstNames)}::text[])[1 + (hashint8(i + 7) & 2147483647) % ${firstNames.length}] AS first_name,
               DATE '1950-01-01' + (hashint8(i + 13) & 2147483647) % 18262 AS birth_date,
               CASE WHEN (hashint8(i + 17) & 2147483647) % 2 = 0 THEN 'F' ELSE 'M' END AS sexe,
               (hashint8(i + 19) & 2147483647) % 10 AS abroad,
               (${sql.val(communes)}::text[])[1 + (hashint8(i + 23) & 2147483647) % ${communes.length}] AS commune,
               (${sql.val(countries)}::text[])[1 + (hashint8(i + 29) & 2147483647) % ${countries.length}] AS country
        FROM generate_series(${from}::bigint, ${to}::bigint) AS i
      ), n AS (
        INSERT INTO rpps_number (rpps) SELECT lpad(payload::text, 11, '0') FROM g RETURNING rpps
      )
      INSERT INTO person (rpps, civilite, sexe, birth_name, first_names, birth_date, birth_country_code, birth_commune_code,
                          email, mobile, birth_name_key, first_names_key, identity_key, created_by)
      SELECT lpad(payload::text, 11, '0'), CASE sexe WHEN 'F' THEN 'MME' ELSE 'M' END, sexe, birth_name, ARRAY[first_name], birth_date,
             CASE WHEN abroad = 0 THEN country ELSE '99100' END, CASE WHEN abroad = 0 THEN NULL ELSE commune END,
             'bench' || i || '@bench.invalid', '+3370' || lpad(i::text, 8, '0'),
             lower(regexp_replace(birth_name, '[^A-Z]', '', 'g')), lower(first_name), 'bench|' || i, 'bench'
      FROM g`.execute(db);
  }
}
