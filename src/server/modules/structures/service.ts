import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import type { StructureRow } from '../../db/schema.ts';
import { checkFiness } from '../../identifiers.ts';
import { toSearchText } from '../../search-text.ts';
import { InvalidFinessError, StructureNotFoundError } from './errors.ts';
import { findStructure, listEstablishmentsOf, searchStructures } from './queries.ts';
import type { StructureDetail, StructureSearchQuery, StructureSummary } from './schemas.ts';

type SummaryRow = Pick<
  StructureRow,
  'finess' | 'kind' | 'name' | 'longName' | 'categoryCode' | 'categoryLabel' | 'postalCode' | 'city' | 'departmentCode' | 'ejFiness' | 'closedOn'
>;

export const today = (clock: Clock) => clock.now().toISOString().slice(0, 10);

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

export function createStructureService(deps: { db: Database; clock: Clock }) {
  const { db, clock } = deps;

  return {
    async get(finessInput: string): Promise<StructureDetail> {
      const check = checkFiness(finessInput);
      if (!check.valid) throw new InvalidFinessError(check.reason, check.message);
      const row = await findStructure(db, check.finess);
      if (!row) throw new StructureNotFoundError(check.finess);
      const onDate = today(clock);
      const [ej, establishments] = await Promise.all([
        row.kind === 'EG' && row.ejFiness ? findStructure(db, row.ejFiness) : undefined,
        row.kind === 'EJ' ? listEstablishmentsOf(db, row.finess) : [],
      ]);
      return {
        ...toSummary(row, onDate),
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
      };
    },

    async search(query: StructureSearchQuery) {
      const q = (query.q ?? '').trim();
      const compact = q.replace(/\s+/g, '').toUpperCase();
      // "0100079", "2A0000" or a full number: a FINESS search; anything else: words.
      const isNumber = compact.length >= 2 && /^(\d|2A|2B)[\d]*$/.test(compact) && /\d{2,}/.test(compact);
      const onDate = today(clock);
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
