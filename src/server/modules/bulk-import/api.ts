import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { FastifyRequest } from 'fastify';
import type { Actor as AuthActor } from '../../auth/actor.ts';
import { ejOfScope, registerEgScope, scopeOf } from '../../auth/policy.ts';
import type { AppContext } from '../../context.ts';
import { DomainError } from '../../errors.ts';
import { multipartText } from '../../files/upload.ts';
import { isMultipart, NotMultipartError, readMultipart } from '../../http/multipart.ts';
import type { Declarations } from '../register/drafts.ts';
import { createIdentityChecks } from '../register/identity-checks.ts';
import type { Actor, EgScope } from '../register/types.ts';
import { BulkFileTooLargeError, BulkImportForbiddenError } from './errors.ts';
import { createBulkImportService, reportCsv } from './service.ts';

export interface Upload {
  file: string;
  fileName: string;
  fields: Record<string, string>;
  cleanup(): Promise<void>;
}

class MissingFileError extends DomainError {
  constructor() {
    super('bulk-import-no-file', 422, 'Joignez le fichier à importer (CSV ou XLSX).', [{ pointer: '/body/file', detail: 'Fichier obligatoire.' }]);
  }
}

/**
 * The upload goes to a temporary file as it arrives: a declared size over the limit is refused
 * before reading, and the stream stops at the limit (413), so a huge file is never held in memory.
 * Any broken limit ends the request at once and removes the temporary directory (issue 15).
 */
export async function receiveUpload(request: FastifyRequest, maxBytes: number): Promise<Upload> {
  const declared = Number(request.headers['content-length'] ?? 0);
  // The multipart envelope adds a few hundred bytes to the file itself.
  if (declared > maxBytes + 64 * 1024) throw new BulkFileTooLargeError(maxBytes);
  if (!isMultipart(request)) throw new NotMultipartError();
  const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'rpps-bulk-'));
  const cleanup = () => fs.promises.rm(dir, { recursive: true, force: true });
  const fields: Record<string, string> = {};
  let file: string | undefined;
  let fileName = 'import.csv';
  try {
    const received = await readMultipart(
      request,
      { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 1000 },
      async (part) => {
        file = path.join(dir, 'upload.csv');
        fileName = path.basename(part.filename || fileName);
        await pipeline(part.stream, fs.createWriteStream(file));
      },
      { fileTooLarge: () => new BulkFileTooLargeError(maxBytes) },
    );
    // A checkbox group sends its field once per ticked box: the values are kept together.
    for (const [name, values] of received) fields[name] = values.map((v) => multipartText(name, v)).join(',');
    if (!file) throw new MissingFileError();
  } catch (err) {
    await cleanup();
    throw err;
  }
  return { file, fileName, fields, cleanup };
}

/**
 * Bulk import as its callers use it: a signed-in gestionnaire (audit actor `account:<id>`, EG
 * scope from the authorization policy) or a machine client with the `registrations:bulk` scope
 * (audit actor `api-key:<id>`): a structure's key imports into its EJ only, a national key
 * (created explicitly by an ANS operator) anywhere — the same policy, `registerEgScope`.
 */
export function createBulkImportApi(ctx: Pick<AppContext, 'db' | 'clock' | 'config' | 'jobs' | 'mail'>) {
  const service = createBulkImportService(ctx);
  const checks = createIdentityChecks(ctx);
  /** Every row of a file is an identity check of the account or key (issue 15): counted, audited. */
  const identityChecksOf = (me: Actor, kind: 'bulk-dry-run' | 'bulk-commit') => ({
    before: (rows: number) => checks.consume(me, kind, rows),
    after: (outcome: { identities: number; inScopeMatches: number; outOfScopeMatches: number }) => checks.record(me, kind, outcome),
  });

  async function who(actor: AuthActor): Promise<{ me: Actor; scope: EgScope }> {
    if (actor.kind === 'machine') return { me: { id: `api-key:${actor.apiKeyId}`, kind: 'machine' }, scope: await registerEgScope(ctx.db, actor) };
    if (actor.kind !== 'person') throw new BulkImportForbiddenError();
    const scope = await registerEgScope(ctx.db, actor);
    return { me: { id: `account:${actor.accountId}`, kind: scopeOf(actor).all ? 'operator' : 'gestionnaire' }, scope };
  }

  return {
    service,
    /** Before the body is read (issue 15): a caller who may import nowhere is refused at once. */
    async authorizeUpload(actor: AuthActor) {
      const { scope } = await who(actor);
      if (scope !== 'all' && scope.length === 0) throw new BulkImportForbiddenError(actor.kind === 'machine' ? 'key' : 'person');
    },
    async structures(actor: AuthActor) {
      if (actor.kind !== 'person') throw new BulkImportForbiddenError();
      const s = scopeOf(actor);
      const ejs = ejOfScope(s);
      if (ejs.length === 0) return { items: [] };
      const rows = await ctx.db.selectFrom('structure').select(['finess', 'name']).where('kind', '=', 'EJ').where('finess', 'in', ejs).orderBy('name').execute();
      const scope = await registerEgScope(ctx.db, actor);
      const items = [];
      for (const r of rows) {
        const egs = await service.egScopeIn(scope, r.finess).catch(() => []);
        if (egs.length > 0) items.push({ ejFiness: r.finess, name: r.name, egFiness: egs });
      }
      return { items };
    },
    async dryRun(actor: AuthActor, ejFiness: string, upload: Upload) {
      const { me, scope } = await who(actor);
      return service.dryRun(scope, ejFiness, upload.file, { fileName: upload.fileName, byKey: actor.kind === 'machine', identityChecks: identityChecksOf(me, 'bulk-dry-run') });
    },
    /** `declarations` null: each valid row becomes a pending request; both ticked: a registration. */
    async commit(actor: AuthActor, ejFiness: string, upload: Upload, declarations: Declarations | null) {
      const { me, scope } = await who(actor);
      return service.commit(me, scope, ejFiness, upload.file, { fileName: upload.fileName, declarations, byKey: actor.kind === 'machine', identityChecks: identityChecksOf(me, 'bulk-commit') });
    },
    async progress(actor: AuthActor, id: string) {
      const { me, scope } = await who(actor);
      await service.findVisible(me, scope, id);
      return service.progress(id);
    },
    async reportCsv(actor: AuthActor, id: string) {
      const { me, scope } = await who(actor);
      await service.findVisible(me, scope, id);
      return reportCsv(await service.rowsOf(id), (await service.progress(id)).mode);
    },
  };
}
