import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import { NotFoundError } from '../../errors.ts';
import { listCodes } from '../referential/queries.ts';
import type { Matrix } from './decision.ts';
import { findMatrixInForce, listMatrixEntries, listMatrixVersions } from './queries.ts';

const toVersion = (v: { id: number; label: string; effectiveFrom: string; source: string; publishedAt: Date }) => ({
  id: v.id,
  label: v.label,
  effectiveFrom: v.effectiveFrom,
  source: v.source,
  publishedAt: v.publishedAt.toISOString(),
});

export function createAccessMatrixService(deps: { db: Database; clock: Clock }) {
  const { db, clock } = deps;

  async function inForce(on: string) {
    const version = await findMatrixInForce(db, on);
    if (!version) throw new NotFoundError(`Aucune matrice d’accès n’est en vigueur au ${on}.`, 'access-matrix-not-found');
    const entries = await listMatrixEntries(db, version.id);
    const grants = new Map<string, Set<string>>();
    for (const e of entries) {
      if (!grants.has(e.roleCode)) grants.set(e.roleCode, new Set());
      grants.get(e.roleCode)!.add(e.documentType);
    }
    return { version, grants };
  }

  return {
    /** The matrix in force on a date, for decisions. */
    async matrixOn(on: string): Promise<Matrix & { versionId: number }> {
      const { version, grants } = await inForce(on);
      return { versionId: version.id, grants };
    },

    /** The readable matrix (roles × document types) for the API and the UI. */
    async describe(onDate?: string) {
      const on = onDate ?? clock.now().toISOString().slice(0, 10);
      const [{ version, grants }, roles, documentTypes] = await Promise.all([
        inForce(on),
        listCodes(db, 'role'),
        listCodes(db, 'dmp-document-type'),
      ]);
      const matrixRoles = roles.filter((r) => r.selectable);
      return {
        on,
        version: toVersion(version),
        roles: matrixRoles.map((r) => ({ code: r.code, label: r.label })),
        documentTypes: documentTypes.map((d) => ({
          key: d.code,
          code: (d.extra.code as string | null | undefined) ?? null,
          system: d.system,
          label: d.label,
        })),
        grants: Object.fromEntries(matrixRoles.map((r) => [r.code, [...(grants.get(r.code) ?? [])].sort()])),
      };
    },

    async versions() {
      return (await listMatrixVersions(db)).map(toVersion);
    },
  };
}
