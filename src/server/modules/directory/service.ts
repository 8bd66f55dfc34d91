import type { Selectable } from 'kysely';
import type { Database } from '../../db/database.ts';
import type { DirectoryPractitionerRoleTable } from '../../db/schema.ts';
import { toSearchText } from '../../search-text.ts';
import { InvalidCursorError, PractitionerNotPublishedError } from './errors.ts';
import { findPractitioner, listChanges, rolesOfPractitioners, searchPractitioners } from './queries.ts';

type RoleRow = Selectable<DirectoryPractitionerRoleTable>;

/** The one place directory rows become public API objects. */
const toSituation = (r: RoleRow) => ({
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

    async searchPractitioners(query: { q?: string; profession?: string; role?: string; structure?: string; department?: string; page: number; pageSize: number }) {
      const q = (query.q ?? '').trim();
      const compact = q.replace(/\s+/g, '');
      const rpps = /^\d{11}$/.test(compact) ? compact : /^8\d{11}$/.test(compact) ? compact.slice(1) : undefined;
      const { rows, total, totalIsLowerBound } = await searchPractitioners(
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
        (query.page - 1) * query.pageSize,
      );
      const roles = await rolesOfPractitioners(db, rows.map((r) => r.id), true);
      return {
        items: rows.map((p) => ({
          rpps: p.rpps,
          idnps: `8${p.rpps}`,
          family: p.family,
          given: p.given,
          active: p.active,
          situations: roles.filter((r) => r.practitionerId === p.id).map(toSituation),
        })),
        total,
        totalIsLowerBound,
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
