import { type AuditActor, recordAudit } from '../../audit.ts';
import { todayOf } from '../../calendar.ts';
import type { Clock } from '../../context.ts';
import { type Database, isUniqueViolation } from '../../db/database.ts';
import { DomainError, type FieldError, NotFoundError, ValidationError } from '../../errors.ts';
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

export interface MatrixPublication {
  label: string;
  effectiveFrom: string;
  source: string;
  /** role code → document type keys (or LOINC / TRE_A05 codes) readable. */
  grants: Record<string, string[]>;
}

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
      const on = onDate ?? todayOf(clock);
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

    /**
     * An ANS operator publishes a new version. It takes effect on its date, never in the past
     * (decisions already given stay explained by the version then in force); role codes and
     * document types must be known. Version and entries are written in one transaction, so a
     * version is never seen half-written.
     */
    async publish(publisher: AuditActor, input: MatrixPublication) {
      const today = todayOf(clock);
      const [roles, documentTypes] = await Promise.all([listCodes(db, 'role'), listCodes(db, 'dmp-document-type')]);
      const roleCodes = new Set(roles.filter((r) => r.selectable).map((r) => r.code));
      const byKey = new Set(documentTypes.map((d) => d.code));
      const byCode = new Map(documentTypes.filter((d) => d.extra.code).map((d) => [d.extra.code as string, d.code]));
      const errors: FieldError[] = [];
      if (input.effectiveFrom < today) {
        errors.push({ pointer: '/body/effectiveFrom', detail: `La date d’effet ne peut pas être passée (au plus tôt le ${today}).` });
      }
      const entries: Array<{ roleCode: string; documentType: string }> = [];
      for (const [role, types] of Object.entries(input.grants)) {
        if (!roleCodes.has(role)) {
          errors.push({ pointer: `/body/grants/${role}`, detail: `Rôle inconnu : ${[...roleCodes].join(', ')} attendus.` });
          continue;
        }
        types.forEach((t, i) => {
          const key = byKey.has(t) ? t : byCode.get(t);
          if (!key) errors.push({ pointer: `/body/grants/${role}/${i}`, detail: `Type de document inconnu : ${t}.` });
          else entries.push({ roleCode: role, documentType: key });
        });
      }
      if (errors.length > 0) throw new ValidationError('La matrice proposée n’est pas valide.', errors);
      const unique = [...new Map(entries.map((e) => [`${e.roleCode}|${e.documentType}`, e])).values()];
      const exists = await db.selectFrom('accessMatrix').select('id').where('effectiveFrom', '=', input.effectiveFrom).executeTakeFirst();
      const exists409 = () => new DomainError('access-matrix-exists', 409, `Une version de la matrice prend déjà effet le ${input.effectiveFrom}.`);
      if (exists) throw exists409();
      const version = await db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('accessMatrix')
          .values({ label: input.label, effectiveFrom: input.effectiveFrom, source: input.source, publishedBy: publisher.id, publishedAt: clock.now() })
          .returningAll()
          .executeTakeFirstOrThrow();
        if (unique.length > 0) await trx.insertInto('accessMatrixEntry').values(unique.map((e) => ({ matrixId: row.id, ...e }))).execute();
        await recordAudit(trx, {
          at: clock.now(),
          actor: publisher,
          action: 'access-matrix.publish',
          entityType: 'access-matrix',
          entityId: String(row.id),
          after: { label: input.label, effectiveFrom: input.effectiveFrom, source: input.source, entries: unique.length },
        });
        return row;
      }).catch((err: unknown) => {
        // Two operators publishing the same date at once: the unique effective date decides.
        throw isUniqueViolation(err) ? exists409() : err;
      });
      return toVersion(version);
    },
  };
}
