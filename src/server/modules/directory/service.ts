import type { Selectable } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DirectoryPractitionerRoleTable } from '../../db/schema.ts';
import { toSearchText } from '../../search-text.ts';
import { InvalidCursorError, InvalidSearchCursorError, PractitionerNotPublishedError } from './errors.ts';
import { findPractitioner, listChanges, rolesOfPractitioners, searchPractitioners, type SearchPosition } from './queries.ts';

type RoleRow = Selectable<DirectoryPractitionerRoleTable>;

/** The one place directory rows become public API objects. */
const toSituation = (r: Pick<RoleRow, 'id' | 'egFiness' | 'egName' | 'ejFiness' | 'departmentCode' | 'professionCode' | 'professionLabel' | 'roleCode' | 'roleLabel' | 'modeCode' | 'startDate' | 'endDate' | 'active'>) => ({
  id: r.id,
  egFiness: r.egFiness,
  egName: r.egName,
  ejFiness: r.ejFiness,
  departmentCode: r.departmentCode,
  professionCode: r.professionCode,
  professionLabel: r.professionLabel,
  roleCode: r.roleCode,
  roleLabel: r.roleLabel,
  modeCode: r.modeCode,
  startDate: r.startDate,
  endDate: r.endDate,
  active: r.active,
});

/** The search cursor: opaque to clients (base64url of the last row's position in name order). */
const encodeSearchCursor = (p: SearchPosition) => Buffer.from(JSON.stringify([p.family, p.given, p.id])).toString('base64url');
function decodeSearchCursor(cursor: string): SearchPosition {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString());
    const [family, given, id] = Array.isArray(v) && v.length === 3 ? (v as unknown[]) : [];
    if (typeof family === 'string' && typeof given === 'string' && typeof id === 'string') return { family, given, id };
  } catch {
    // falls through to the 400 below
  }
  throw new InvalidSearchCursorError();
}

export function createDirectoryService(deps: { db: Database }) {
  const { db } = deps;
  return {
    /** Changes after `since`, in commit order; `next` is the cursor to resume from. */
    async changes(query: { since?: string; limit: number }) {
      const since = query.since === undefined ? 0 : Number(query.since);
      if (!Number.isSafeInteger(since) || since < 0) throw new InvalidCursorError();
      const rows = await listChanges(db, since, query.limit + 1);
      const items = rows.slice(0, query.limit).map((r) => ({
        seq: String(r.seq),
        resourceType: r.resourceType,
        resourceId: r.resourceId,
        rpps: r.rpps,
        change: r.change,
        versionId: r.versionId,
        at: r.at.toISOString(),
        data: r.data as Record<string, unknown>,
      }));
      return { items, next: items.length > 0 ? items[items.length - 1]!.seq : String(since), hasMore: rows.length > query.limit };
    },

    async searchPractitioners(query: { q?: string; profession?: string; role?: string; structure?: string; department?: string; after?: string; page: number; pageSize: number }) {
      const after = query.after === undefined ? undefined : decodeSearchCursor(query.after);
      const q = (query.q ?? '').trim();
      const compact = q.replace(/\s+/g, '');
      const rpps = /^\d{11}$/.test(compact) ? compact : /^8\d{11}$/.test(compact) ? compact.slice(1) : undefined;
      const { rows: fetched, total, totalIsLowerBound } = await searchPractitioners(
        db,
        {
          words: rpps ? [] : toSearchText(q).split(' ').filter(Boolean).slice(0, 5),
          rpps,
          profession: query.profession,
          role: query.role,
          structure: query.structure,
          department: query.department,
        },
        query.pageSize,
        after ? { after } : { offset: (query.page - 1) * query.pageSize },
      );
      const rows = fetched.slice(0, query.pageSize);
      const last = rows[rows.length - 1];
      const next = fetched.length > query.pageSize && last ? encodeSearchCursor({ family: last.familySearch, given: last.givenSearch, id: last.id }) : null;
      return {
        items: rows.map((p) => ({
          rpps: p.rpps,
          idnps: `8${p.rpps}`,
          family: p.family,
          given: p.given,
          active: p.active,
          situations: p.situations.map(toSituation),
        })),
        total,
        totalIsLowerBound,
        next,
        page: query.page,
        pageSize: query.pageSize,
      };
    },

    /** A professional's public card: his active situations (ended ones are not shown). */
    async getPractitioner(rpps: string) {
      const p = await findPractitioner(db, rpps);
      if (!p || p.withdrawn) throw new PractitionerNotPublishedError();
      const roles = await rolesOfPractitioners(db, [p.id], true);
      return { rpps: p.rpps, idnps: `8${p.rpps}`, family: p.family, given: p.given, active: p.active, situations: roles.map(toSituation) };
    },
  };
}
