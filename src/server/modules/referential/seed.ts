import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { sql } from 'kysely';
import type { Database } from '../../db/database.ts';
import { toSearchText } from '../../search-text.ts';
import { forgetCachedCodes } from './code-cache.ts';

/**
 * Loads the reference data into the database, idempotently (upserts; a list whose files have
 * not changed since the last load is skipped). Sources:
 * - ANS nomenclatures: `data/*.json`, copied from the extraction in shared/data with their
 *   `source` (table, OID, version); see docs/referential.md.
 * - Communes: `@etalab/decoupage-administratif` (COG), current communes plus the communes
 *   déléguées/associées that are former communes merged into a commune nouvelle.
 */
const require = createRequire(import.meta.url);
const dataUrl = new URL('./data/', import.meta.url);

interface Item {
  code: string | null;
  key?: string;
  label: string;
  system?: string | null;
  status?: string;
  deprecated?: boolean;
  deprecatedOn?: string;
  validFrom?: string;
  validTo?: string;
  [k: string]: unknown;
}
interface SourceFile {
  source: string;
  codeSystem?: string;
  codeSystemVersion?: string;
  items: Item[];
}

interface CodeRow {
  code: string;
  label: string;
  system: string | null;
  validFrom: string | null;
  validTo: string | null;
  selectable: boolean;
  extra: Record<string, unknown>;
}

interface KindSpec {
  kind: string;
  file: string;
  rows(file: SourceFile): CodeRow[];
}

const base = (i: Item, selectable: boolean, extraKeys: string[] = []): CodeRow => ({
  code: i.code!,
  label: i.label,
  system: i.system ?? null,
  validFrom: i.validFrom ?? null,
  validTo: i.validTo ?? i.deprecatedOn ?? null,
  selectable,
  extra: Object.fromEntries(extraKeys.filter((k) => i[k] !== undefined).map((k) => [k, i[k]])),
});

const specs: KindSpec[] = [
  {
    kind: 'profession',
    file: 'professions.json',
    // 364 (PADHUE) is announced as "bientôt" and sanitaire: readable, not offered (seed 004).
    // `replacedBy`: the code to choose instead of a closed one; `soonAvailable`: "bientôt
    // disponible pour les ESMS" (seed 004), opened by openSoonAvailableProfessions.
    rows: (f) => f.items.map((i) => base(i, i.code !== '364', ['seed004Label', 'note', 'replacedBy', 'soonAvailable', 'healthDataExchange'])),
  },
  {
    kind: 'role',
    file: 'roles.json',
    rows: (f) => f.items.map((i) => ({ ...base(i, i.rppsPlusRole === true, ['shortLabel', 'definition', 'examples']) })),
  },
  {
    kind: 'mode-exercice',
    file: 'modes-exercice.json',
    // RPPS+ registers salariés only: "le portail RPPS+ ne permet pas l'enregistrement des libéraux" (seed 000).
    rows: (f) => f.items.map((i) => base(i, i.code === 'S', ['shortLabel', 'definition'])),
  },
  {
    kind: 'civilite',
    file: 'civilites.json',
    rows: (f) => f.items.filter((i) => i.table === 'TRE_R81').map((i) => base(i, true)),
  },
  {
    kind: 'civilite-exercice',
    file: 'civilites.json',
    rows: (f) => f.items.filter((i) => i.table === 'TRE_R11').map((i) => base(i, true)),
  },
  {
    kind: 'sexe',
    file: 'sexes.json',
    // An état-civil sex checked against the RNIPP is F or M; "Inconnu" is not offered.
    rows: (f) => f.items.map((i) => base(i, i.code === 'F' || i.code === 'M', ['fhirGender'])),
  },
  {
    kind: 'country',
    file: 'countries.json',
    rows: (f) =>
      f.items.map((i) => ({
        ...base(i, true, ['officialLabel', 'altLabels']),
        // A deprecated code without an end date is closed from the start: never selectable.
        validTo: i.validTo ?? (i.deprecated ? (i.validFrom ?? '1900-01-01') : null),
        system: f.codeSystem ?? null,
      })),
  },
  {
    kind: 'dmp-document-type',
    file: 'dmp-document-types.json',
    rows: (f) =>
      f.items.map((i) => ({
        code: i.key!,
        label: i.label,
        system: i.system ?? null,
        validFrom: null,
        validTo: null,
        selectable: true,
        extra: { code: i.code, rolesSeed004: i.rolesSeed004, rolesSeed000: i.rolesSeed000, note: i.note },
      })),
  },
];

function readSource(file: string): { text: string; json: SourceFile } {
  const text = readFileSync(new URL(file, dataUrl), 'utf8');
  return { text, json: JSON.parse(text) as SourceFile };
}

const hash = (text: string) => createHash('sha256').update(text).digest('hex').slice(0, 16);

export interface SeedReport {
  loaded: string[];
  skipped: string[];
}

export interface SeedOptions {
  /** PROFESSIONS_SOON_AVAILABLE_FROM: the day the "bientôt disponible" professions open; null = not yet. */
  soonAvailableProfessionsFrom?: string | null;
}

export async function seedReferential(db: Database, options: SeedOptions = {}): Promise<SeedReport> {
  const report: SeedReport = { loaded: [], skipped: [] };
  const known = new Map(
    (await db.selectFrom('nomenclature').select(['kind', 'version']).execute()).map((r) => [r.kind, r.version]),
  );

  for (const spec of specs) {
    const { text, json } = readSource(spec.file);
    const version = `${json.codeSystemVersion ?? 'n/a'}#${hash(text + spec.kind)}`;
    if (known.get(spec.kind) === version) {
      report.skipped.push(spec.kind);
      continue;
    }
    const rows = spec.rows(json);
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('nomenclature')
        .values({ kind: spec.kind, source: json.source, codeSystem: json.codeSystem ?? null, version })
        .onConflict((oc) =>
          oc.column('kind').doUpdateSet((eb) => ({
            source: eb.ref('excluded.source'),
            codeSystem: eb.ref('excluded.codeSystem'),
            version: eb.ref('excluded.version'),
            updatedAt: new Date(),
          })),
        )
        .execute();
      await trx
        .insertInto('nomenclatureCode')
        .values(rows.map((r, position) => ({ kind: spec.kind, ...r, position, extra: JSON.stringify(r.extra) })))
        .onConflict((oc) =>
          oc.columns(['kind', 'code']).doUpdateSet((eb) => ({
            label: eb.ref('excluded.label'),
            system: eb.ref('excluded.system'),
            validFrom: eb.ref('excluded.validFrom'),
            validTo: eb.ref('excluded.validTo'),
            selectable: eb.ref('excluded.selectable'),
            position: eb.ref('excluded.position'),
            extra: eb.ref('excluded.extra'),
          })),
        )
        .execute();
    });
    report.loaded.push(spec.kind);
  }

  await seedCommunes(db, known.get('commune'), report);
  await seedGeography(db, known, report);
  await openSoonAvailableProfessions(db, options.soonAvailableProfessionsFrom ?? null);
  forgetCachedCodes();
  return report;
}

/**
 * Seed 004 marks some professions "bientôt disponible pour les ESMS" (359 directeur
 * d'établissement, 361 éducateur en activité physique adaptée): readable, offered for new
 * situations only from the configured day (PROFESSIONS_SOON_AVAILABLE_FROM); not offered while
 * that day is unknown. Run at every start, so a changed setting applies without a data change.
 */
export async function openSoonAvailableProfessions(db: Database, from: string | null) {
  await db
    .updateTable('nomenclatureCode')
    .set({ validFrom: from, selectable: from !== null })
    .where('kind', '=', 'profession')
    .where(sql<boolean>`(extra->>'soonAvailable')::boolean IS TRUE`)
    .execute();
  forgetCachedCodes();
}

interface CogArea {
  code: string;
  nom: string;
  region?: string;
}

/**
 * Regions and departments of the COG (same package as the communes), as nomenclatures
 * `region` and `department` (extra.region = the department's region code): the operator's
 * dashboard groups structures by the department code FINESS gives them (issue 10).
 */
async function seedGeography(db: Database, known: Map<string, string | null>, report: SeedReport) {
  const pkg = require('@etalab/decoupage-administratif/package.json') as { version: string };
  const version = `@etalab/decoupage-administratif@${pkg.version}`;
  const source = 'INSEE Code officiel géographique, via the npm package @etalab/decoupage-administratif.';
  const lists = [
    { kind: 'region', items: require('@etalab/decoupage-administratif/data/regions.json') as CogArea[] },
    { kind: 'department', items: require('@etalab/decoupage-administratif/data/departements.json') as CogArea[] },
  ];
  for (const { kind, items } of lists) {
    if (known.get(kind) === version) {
      report.skipped.push(kind);
      continue;
    }
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('nomenclature')
        .values({ kind, source, codeSystem: 'https://www.insee.fr/fr/information/2560452', version })
        .onConflict((oc) => oc.column('kind').doUpdateSet({ version, updatedAt: new Date() }))
        .execute();
      await trx
        .insertInto('nomenclatureCode')
        .values(
          items.map((i, position) => ({
            kind,
            code: i.code,
            label: i.nom,
            system: null,
            validFrom: null,
            validTo: null,
            selectable: true,
            position,
            extra: JSON.stringify(i.region ? { region: i.region } : {}),
          })),
        )
        .onConflict((oc) =>
          oc.columns(['kind', 'code']).doUpdateSet((eb) => ({ label: eb.ref('excluded.label'), position: eb.ref('excluded.position'), extra: eb.ref('excluded.extra') })),
        )
        .execute();
    });
    report.loaded.push(kind);
  }
}

interface CogCommune {
  code: string;
  nom: string;
  type: 'commune-actuelle' | 'commune-deleguee' | 'commune-associee' | 'arrondissement-municipal';
  departement?: string;
  chefLieu?: string;
  commune?: string;
  codesPostaux?: string[];
}

const communeKinds: Record<CogCommune['type'], string> = {
  'commune-actuelle': 'current',
  'commune-deleguee': 'delegated',
  'commune-associee': 'associated',
  'arrondissement-municipal': 'arrondissement',
};

async function seedCommunes(db: Database, knownVersion: string | null | undefined, report: SeedReport) {
  const pkg = require('@etalab/decoupage-administratif/package.json') as { version: string };
  const version = `@etalab/decoupage-administratif@${pkg.version}`;
  if (knownVersion === version) {
    report.skipped.push('commune');
    return;
  }
  const communes = require('@etalab/decoupage-administratif/data/communes.json') as CogCommune[];
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < communes.length; i += 2000) {
      const chunk = communes.slice(i, i + 2000).map((c) => ({
        inseeCode: c.code,
        name: c.nom,
        searchName: toSearchText(c.nom),
        kind: communeKinds[c.type],
        departmentCode: c.departement ?? null,
        currentInseeCode: c.chefLieu ?? c.commune ?? null,
        postalCodes: c.codesPostaux ?? [],
        // The COG package gives no creation/merge dates: unknown (null) means "no limit".
        validFrom: null,
        validTo: null,
      }));
      await trx
        .insertInto('commune')
        .values(chunk)
        .onConflict((oc) =>
          oc.columns(['inseeCode', 'kind']).doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            searchName: eb.ref('excluded.searchName'),
            departmentCode: eb.ref('excluded.departmentCode'),
            currentInseeCode: eb.ref('excluded.currentInseeCode'),
            postalCodes: eb.ref('excluded.postalCodes'),
          })),
        )
        .execute();
    }
    await trx
      .insertInto('nomenclature')
      .values({
        kind: 'commune',
        source:
          'INSEE Code officiel géographique, via the npm package @etalab/decoupage-administratif (communes actuelles, communes déléguées and associées = former communes, arrondissements municipaux).',
        codeSystem: 'https://www.insee.fr/fr/information/2560452',
        version,
      })
      .onConflict((oc) => oc.column('kind').doUpdateSet({ version, updatedAt: new Date() }))
      .execute();
  });
  report.loaded.push('commune');
}
