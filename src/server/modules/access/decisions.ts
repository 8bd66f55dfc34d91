import { type AuditWriter, recordAudit } from '../../audit.ts';
import { todayOf } from '../../calendar.ts';
import type { Clock } from '../../context.ts';
import { createBatcher } from '../../db/batcher.ts';
import type { Database } from '../../db/database.ts';
import { InvalidApiKeyError } from '../../auth/errors.ts';
import { DomainError, NotFoundError, ValidationError } from '../../errors.ts';
import { listCodes } from '../referential/queries.ts';
import { decide, type Decision, type DecisionReason, type Matrix, type SituationForDecision } from './decision.ts';
import { parseProfessionalId } from './professional-id.ts';
import { listMatrixEntries, listMatrixVersions, type PersonSituation, type PersonsLookup, situationsOfGroup, situationsOfPersons } from './queries.ts';

export const maxBatchQuestions = 1000;

export interface DecisionQuestion {
  /** RPPS number (11 digits) or IDNPS (8 + RPPS). */
  professional: string;
  /** RPPS+ key (`cr_consult`) or LOINC / TRE_A05 code (`11488-4`). */
  documentType: string;
  /** Default: today. */
  on?: string;
}

export interface DecisionAnswer {
  professional: { rpps: string; idnps: string };
  documentType: { key: string; code: string | null; label: string };
  on: string;
  allow: boolean;
  reason: DecisionReason;
  through: Array<{ egFiness: string; roleCode: string }>;
  matrixVersion: { id: number; effectiveFrom: string };
}

export interface DecisionError {
  code: 'invalid-professional-identifier' | 'unknown-document-type' | 'professional-not-found' | 'access-matrix-not-found';
  status: 400 | 404;
  detail: string;
  pointer: string;
}

export type BatchItem = ({ index: number } & DecisionAnswer) | { index: number; error: DecisionError };

/** Who asks, as recorded in the audit trail. */
export interface DecisionCaller {
  id: string;
  kind: string;
  requestId: string;
  /** The caller's API key: checked again (revoked, expired → 401) by the situations query. */
  apiKeyId?: string | undefined;
}

interface DocumentType {
  key: string;
  code: string | null;
  label: string;
}

const referenceTtlMs = 60_000;
const hourMs = 3_600_000;

/**
 * `todayOf(clock)` remembered for the current UTC hour: Paris is UTC+1 or UTC+2, whole hours, so
 * its date cannot change inside a UTC hour (Intl's formatToParts took 3 % of a decision's CPU).
 */
function createToday(clock: Clock) {
  let hour = Number.NaN;
  let day = '';
  return () => {
    const now = clock.now();
    const h = Math.floor(now.getTime() / hourMs);
    if (h !== hour) {
      day = todayOf({ now: () => now });
      hour = h;
    }
    return day;
  };
}

/**
 * Access decisions for machine clients (the DMP, a DUI): one or up to 1,000 questions per call,
 * answered with one query for the persons' situations whatever their number. The matrix of each
 * date asked is the version in force on that date; a published version never changes (its entries
 * are written with it, in one transaction), so versions' entries are cached by id.
 * Every call is audited in one `audit_event` row that lists every question and its answer,
 * committed before the answer leaves (through `audit`, rows of concurrent calls share one INSERT).
 */
export function createAccessDecisionService(deps: { db: Database; clock: Clock; audit?: AuditWriter }) {
  const { db, clock } = deps;
  const todayNow = createToday(clock);
  const entriesByVersion = new Map<number, Matrix>();
  let versionsCache: { head: number | null; list: Awaited<ReturnType<typeof listMatrixVersions>> } | undefined;
  let documentTypes: { at: number; byKey: Map<string, DocumentType>; byCode: Map<string, DocumentType>; keys: Set<string> } | undefined;

  async function referenceDocumentTypes() {
    const now = Date.now();
    if (documentTypes && now - documentTypes.at < referenceTtlMs) return documentTypes;
    const rows = await listCodes(db, 'dmp-document-type');
    const list = rows.map((r) => ({ key: r.code, code: (r.extra.code as string | null | undefined) ?? null, label: r.label }));
    documentTypes = {
      at: now,
      byKey: new Map(list.map((d) => [d.key, d])),
      byCode: new Map(list.filter((d) => d.code).map((d) => [d.code!, d])),
      keys: new Set(list.map((d) => d.key)),
    };
    return documentTypes;
  }

  /**
   * Single decisions made at the same time share one lookup (`createBatcher`: no timer, a lone
   * decision runs at once; while 2 lookups are in flight the next ones gather): under load, one
   * statement serves many decisions (issue 18: the statements' submission was the main cost).
   */
  const singles = createBatcher<{ rpps: string | undefined; apiKeyId: string | undefined }, PersonsLookup>(
    async (asks) => {
      const rpps = [...new Set(asks.flatMap((a) => (a.rpps ? [a.rpps] : [])))];
      const keys = [...new Set(asks.flatMap((a) => (a.apiKeyId ? [a.apiKeyId] : [])))];
      const found = await situationsOfGroup(db, rpps, keys, clock.now());
      const rowsOf = new Map<string, PersonSituation[]>();
      for (const r of found.rows) {
        const own = rowsOf.get(r.rpps);
        if (own) own.push(r);
        else rowsOf.set(r.rpps, [r]);
      }
      return asks.map((a) => ({
        matrixHead: found.matrixHead,
        keyValid: a.apiKeyId === undefined || found.validKeys.has(a.apiKeyId),
        rows: (a.rpps && rowsOf.get(a.rpps)) || [],
      }));
    },
    { maxConcurrent: 2, maxSize: 200 },
  );

  async function matrixOf(versionId: number): Promise<Matrix> {
    const cached = entriesByVersion.get(versionId);
    if (cached) return cached;
    const grants = new Map<string, Set<string>>();
    for (const e of await listMatrixEntries(db, versionId)) {
      if (!grants.has(e.roleCode)) grants.set(e.roleCode, new Set());
      grants.get(e.roleCode)!.add(e.documentType);
    }
    const matrix = { grants };
    entriesByVersion.set(versionId, matrix);
    return matrix;
  }

  async function answer(questions: readonly DecisionQuestion[], caller: DecisionCaller, mode: 'single' | 'batch'): Promise<BatchItem[]> {
    const today = todayNow();
    // One round trip for every person of the call, side by side with the matrix versions.
    const ids = questions.map((q) => parseProfessionalId(q.professional));
    const asked = [...new Set(ids.flatMap((id) => (id.ok ? [id.rpps] : [])))];
    const [types, found] = await Promise.all([
      referenceDocumentTypes(),
      mode === 'single' && asked.length <= 1
        ? singles.call({ rpps: asked[0], apiKeyId: caller.apiKeyId })
        : situationsOfPersons(db, asked, { apiKeyId: caller.apiKeyId, now: clock.now() }),
    ]);
    // Revoked or expired since its authentication (which may come from memory): no answer.
    if (!found.keyValid) throw new InvalidApiKeyError();
    const rows = found.rows;
    // The versions list is re-read only when a newer version exists.
    const head = found.matrixHead;
    if (!versionsCache || (head === null ? null : Number(head)) !== versionsCache.head) {
      const list = await listMatrixVersions(db);
      versionsCache = { head: list.length > 0 ? Math.max(...list.map((v) => v.id)) : null, list };
    }
    const versions = versionsCache.list;
    const versionOn = (on: string) => {
      let found: (typeof versions)[number] | undefined;
      for (const v of versions) if (v.effectiveFrom <= on) found = v;
      return found;
    };

    type Parsed = { index: number; rpps: string; idnps: string; doc: DocumentType; on: string; version: (typeof versions)[number] };
    const items: BatchItem[] = new Array(questions.length);
    const parsed: Parsed[] = [];
    questions.forEach((q, index) => {
      const base = mode === 'single' ? '/body' : `/body/questions/${index}`;
      const id = ids[index]!;
      if (!id.ok) {
        items[index] = { index, error: { code: 'invalid-professional-identifier', status: 400, detail: id.detail, pointer: `${base}/professional` } };
        return;
      }
      const doc = types.byKey.get(q.documentType) ?? types.byCode.get(q.documentType);
      if (!doc) {
        const detail = 'Type de document inconnu : clé RPPS+ ou code LOINC / TRE_A05 attendu (voir GET /api/access-matrix).';
        items[index] = { index, error: { code: 'unknown-document-type', status: 400, detail, pointer: `${base}/documentType` } };
        return;
      }
      const on = q.on ?? today;
      const version = versionOn(on);
      if (!version) {
        items[index] = { index, error: { code: 'access-matrix-not-found', status: 404, detail: `Aucune matrice d’accès n’est en vigueur au ${on}.`, pointer: `${base}/on` } };
        return;
      }
      parsed.push({ index, rpps: id.rpps, idnps: id.idnps, doc, on, version });
    });

    const situations = new Map<string, SituationForDecision[]>();
    const rejected = new Set(rows.filter((r) => r.identityStatus === 'rejected').map((r) => r.rpps));
    for (const r of rows) {
      if (!situations.has(r.rpps)) situations.set(r.rpps, []);
      if (r.roleCode !== null) {
        situations.get(r.rpps)!.push({ egFiness: r.egFiness!, roleCode: r.roleCode, startDate: r.startDate!, endDate: r.endDate, status: r.status! });
      }
    }
    const matrices = new Map<number, Matrix>();
    for (const id of new Set(parsed.map((p) => p.version.id))) matrices.set(id, await matrixOf(id));

    for (const p of parsed) {
      const own = situations.get(p.rpps);
      if (!own) {
        items[p.index] = {
          index: p.index,
          error: {
            code: 'professional-not-found',
            status: 404,
            detail: 'Aucun professionnel enregistré ne porte ce numéro RPPS.',
            pointer: mode === 'single' ? '/body/professional' : `/body/questions/${p.index}/professional`,
          },
        };
        continue;
      }
      const d: Decision = rejected.has(p.rpps)
        ? { allow: false, reason: 'identity-rejected', through: [] }
        : decide(own, p.doc.key, matrices.get(p.version.id)!, p.on, types.keys);
      items[p.index] = {
        index: p.index,
        professional: { rpps: p.rpps, idnps: p.idnps },
        documentType: p.doc,
        on: p.on,
        allow: d.allow,
        reason: d.reason,
        through: d.through,
        matrixVersion: { id: p.version.id, effectiveFrom: p.version.effectiveFrom },
      };
    }

    await audit(caller, mode, questions, items);
    return items;
  }

  async function audit(caller: DecisionCaller, mode: 'single' | 'batch', questions: readonly DecisionQuestion[], items: BatchItem[]) {
    let allowed = 0;
    let denied = 0;
    let errors = 0;
    // Compact: [professional, documentType, on, outcome, reason or error code].
    const lines = items.map((it, i) => {
      const q = questions[i]!;
      const asked = [q.professional.slice(0, 20), q.documentType.slice(0, 40), q.on ?? null];
      if ('error' in it) {
        errors++;
        return [...asked, 'error', it.error.code];
      }
      if (it.allow) allowed++;
      else denied++;
      return [...asked, it.allow ? 'allow' : 'deny', it.reason];
    });
    const entry = {
      at: clock.now(),
      actor: caller,
      action: mode === 'single' ? 'access.decide' : 'access.decide-batch',
      entityType: 'access-decision',
      entityId: caller.requestId,
      after: { questions: items.length, allowed, denied, errors, decisions: lines },
    };
    if (deps.audit) await deps.audit.record(entry);
    else await recordAudit(db, entry);
  }

  return {
    /** Lets the lookups in flight end (at shutdown). */
    close: () => singles.close(),

    /** One question; a bad identifier or document type is a 400, an unknown person a 404. */
    async decideOne(caller: DecisionCaller, question: DecisionQuestion): Promise<DecisionAnswer> {
      const [item] = await answer([question], caller, 'single');
      if (item && 'error' in item) {
        const e = item.error;
        if (e.status === 404) throw new NotFoundError(e.detail, e.code);
        throw new DomainError(e.code, 400, e.detail, [{ pointer: e.pointer, detail: e.detail }]);
      }
      const { index: _index, ...rest } = item as { index: number } & DecisionAnswer;
      return rest;
    },

    /** Up to 1,000 questions; each answer or error at the index of its question. */
    async decideBatch(caller: DecisionCaller, questions: readonly DecisionQuestion[]) {
      if (questions.length === 0 || questions.length > maxBatchQuestions) {
        throw new ValidationError(`Un lot contient de 1 à ${maxBatchQuestions} questions.`, [
          { pointer: '/body/questions', detail: `De 1 à ${maxBatchQuestions} questions par appel.` },
        ]);
      }
      const items = await answer(questions, caller, 'batch');
      const count = (f: (i: BatchItem) => boolean) => items.filter(f).length;
      return {
        items,
        counts: {
          questions: items.length,
          allowed: count((i) => !('error' in i) && i.allow),
          denied: count((i) => !('error' in i) && !i.allow),
          errors: count((i) => 'error' in i),
        },
      };
    },
  };
}
