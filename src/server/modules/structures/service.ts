import { todayOf } from '../../calendar.ts';
import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import type { StructureRow } from '../../db/schema.ts';
import { checkFiness } from '../../identifiers.ts';
import { toSearchText } from '../../search-text.ts';
import { InvalidFinessError, StructureNotFoundError } from './errors.ts';
import { findStructure, listEstablishmentsOf, liveContractsOf, searchStructures } from './queries.ts';
import type { RppsPlusMembership, StructureDetail, StructureSearchQuery, StructureSummary } from './schemas.ts';

type SummaryRow = Pick<
  StructureRow,
  'finess' | 'kind' | 'name' | 'longName' | 'categoryCode' | 'categoryLabel' | 'postalCode' | 'city' | 'departmentCode' | 'ejFiness' | 'closedOn'
>;


/** FINESS writes overseas departments 9A..9J; structures store the INSEE code (FINESS.md §3). */
const finessOverseas: Record<string, string> = { '9A': '971', '9B': '972', '9C': '973', '9D': '974', '9E': '975', '9F': '976', '9J': '986' };
const toInseeDepartment = (code: string) => finessOverseas[code.toUpperCase()] ?? code.toUpperCase();

/** The one place structure rows become API objects. */
export function toSummary(row: SummaryRow, onDate: string): StructureSummary {
  return {
    finess: row.finess,
    kind: row.kind,
    name: row.name,
    longName: row.longName,
    categoryCode: row.categoryCode,
    categoryLabel: row.categoryLabel,
    postalCode: row.postalCode,
    city: row.city,
    departmentCode: row.departmentCode,
    ejFiness: row.ejFiness,
    status: row.closedOn !== null && row.closedOn <= onDate ? 'closed' : 'open',
  };
}

type LiveContract = { egFiness: string | null; status: string };

/**
 * Has the structure joined RPPS+ (issue 17, directory)? An EJ joins by an EJ-level contract (all
 * its EG), an EG by its EJ's contract or one of its own (seed 004: « contractualisation juridique
 * ou géographique »). One structure, one live contract: a request is possible only when none
 * covers it (the contract request's step 1 refuses it otherwise).
 */
export function membershipOf(structure: { finess: string; kind: 'EJ' | 'EG'; ejFiness: string | null; open: boolean }, live: LiveContract[]): RppsPlusMembership {
  const active = (c: LiveContract | undefined) => c?.status === 'active';
  const ejContract = live.find((c) => c.egFiness === null);
  if (structure.kind === 'EJ') {
    const egContracts = live.filter((c) => c.egFiness !== null);
    const joinedEstablishments = egContracts.filter(active).map((c) => c.egFiness!).sort();
    if (active(ejContract)) return { status: 'joined', through: 'ej', joinedEstablishments: [], canRequest: false };
    if (ejContract) return { status: 'pending', through: null, joinedEstablishments, canRequest: false };
    if (joinedEstablishments.length > 0) return { status: 'partial', through: null, joinedEstablishments, canRequest: false };
    if (egContracts.length > 0) return { status: 'pending', through: null, joinedEstablishments: [], canRequest: false };
    return { status: 'not-joined', through: null, joinedEstablishments: [], canRequest: structure.open };
  }
  const own = live.find((c) => c.egFiness === structure.finess);
  const covering = active(ejContract) ? ejContract : active(own) ? own : (ejContract ?? own);
  if (active(covering)) return { status: 'joined', through: covering!.egFiness === null ? 'ej' : 'eg', joinedEstablishments: [], canRequest: false };
  if (covering) return { status: 'pending', through: null, joinedEstablishments: [], canRequest: false };
  return { status: 'not-joined', through: null, joinedEstablishments: [], canRequest: structure.open && structure.ejFiness !== null };
}

export function createStructureService(deps: { db: Database; clock: Clock }) {
  const { db, clock } = deps;

  return {
    async get(finessInput: string): Promise<StructureDetail> {
      const check = checkFiness(finessInput);
      if (!check.valid) throw new InvalidFinessError(check.reason, check.message);
      const row = await findStructure(db, check.finess);
      if (!row) throw new StructureNotFoundError(check.finess);
      const onDate = todayOf(clock);
      const ejFiness = row.kind === 'EJ' ? row.finess : row.ejFiness;
      const [ej, establishments, live] = await Promise.all([
        row.kind === 'EG' && row.ejFiness ? findStructure(db, row.ejFiness) : undefined,
        row.kind === 'EJ' ? listEstablishmentsOf(db, row.finess) : [],
        ejFiness ? liveContractsOf(db, ejFiness) : [],
      ]);
      const summary = toSummary(row, onDate);
      return {
        ...summary,
        legalStatusCode: row.legalStatusCode,
        legalStatusLabel: row.legalStatusLabel,
        siret: row.siret,
        siren: row.siren,
        addressLine: row.addressLine,
        inseeCode: row.inseeCode,
        phone: row.phone,
        openedOn: row.openedOn,
        closedOn: row.closedOn,
        finessUpdatedOn: row.finessUpdatedOn,
        ej: ej ? toSummary(ej, onDate) : null,
        establishments: establishments.map((e) => toSummary(e, onDate)),
        rppsPlus: membershipOf({ finess: row.finess, kind: row.kind, ejFiness: row.ejFiness, open: summary.status === 'open' }, live),
      };
    },

    async search(query: StructureSearchQuery) {
      const q = (query.q ?? '').trim();
      const compact = q.replace(/\s+/g, '').toUpperCase();
      // "0100079", "2A0000" or a full number: a FINESS search; anything else: words.
      const isNumber = compact.length >= 2 && /^(\d|2A|2B)[\d]*$/.test(compact) && /\d{2,}/.test(compact);
      const onDate = todayOf(clock);
      const { rows, total } = await searchStructures(
        db,
        {
          finessPrefix: isNumber ? compact : undefined,
          words: isNumber ? [] : toSearchText(q).split(' ').filter(Boolean),
          kind: query.kind,
          department: query.department ? toInseeDepartment(query.department) : undefined,
          includeClosed: query.includeClosed === 'true',
          today: onDate,
        },
        query.pageSize,
        (query.page - 1) * query.pageSize,
      );
      return { items: rows.map((r) => toSummary(r, onDate)), total, page: query.page, pageSize: query.pageSize };
    },
  };
}
export type StructureService = ReturnType<typeof createStructureService>;
