import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { todayOf } from '../../calendar.ts';
import type { AppContext } from '../../context.ts';
import { ValidationError } from '../../errors.ts';
import { acceptMultipart } from '../../http/multipart.ts';
import type { RoutePolicy } from '../../http/policy.ts';
import { problemSchema } from '../../http/problem.ts';
import { createBulkImportApi, receiveUpload } from './api.ts';
import { declarationsBody } from '../register/schemas.ts';
import { codeListCsv, codeListParams } from './codes.ts';
import { templateCsv } from './columns.ts';
import { checkReport, importParams, progressView, structureChoices, uploadFields } from './schemas.ts';
import { reportCsv } from './service.ts';
import { templateXlsx } from './xlsx.ts';

const tags = ['bulk-import'];
const errors = { 400: problemSchema, 401: problemSchema, 403: problemSchema, 404: problemSchema, 413: problemSchema, 415: problemSchema, 422: problemSchema };
const person: { policy: RoutePolicy } = { policy: 'authenticated' };
const machine: { policy: RoutePolicy } = { policy: 'machine:registrations:bulk' };
const csvHeaders = (name: string) => ({ 'content-type': 'text/csv; charset=utf-8', 'content-disposition': `attachment; filename="${name}"` });

/**
 * Bulk import of staff (issue 10), for signed-in gestionnaires (`/api/bulk-imports`) and for
 * machine clients with the `registrations:bulk` API-key scope (`/api/bulk-imports/machine`).
 * POST a CSV (multipart `file`) with `ejFiness` and `mode` = `dry-run` (report, nothing written)
 * or `commit` (202, processed in background batches; follow `GET /{id}`).
 */
export const bulkImportRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const api = createBulkImportApi(ctx);
  const limits = ctx.config.bulkImport;
  acceptMultipart(app);

  async function upload(request: FastifyRequest, reply: FastifyReply) {
    const received = await receiveUpload(request, limits.maxBytes);
    try {
      const parsed = uploadFields.safeParse(received.fields);
      if (!parsed.success) {
        throw new ValidationError('Paramètres de l’import non valides.', parsed.error.issues.map((i) => ({ pointer: `/body/${i.path.join('/')}`, detail: i.message })));
      }
      const f = parsed.data;
      if (f.mode === 'commit') {
        // The wizard's own schema for the declarations; its rule (both ticked) is the service's.
        const declarations = f.declarations.length === 0 ? null : declarationsBody.parse(Object.fromEntries(f.declarations.map((d) => [d, true])));
        const started = await api.commit(request.actor, f.ejFiness, received, declarations);
        request.log.info({ importId: started.id, ejFiness: f.ejFiness, mode: started.mode, rows: started.rows, invalid: started.invalid }, 'bulk-import.committed');
        return reply.code(202).send(started);
      }
      const report = await api.dryRun(request.actor, f.ejFiness, received);
      if (f.format === 'csv') return reply.headers(csvHeaders('rapport-import.csv')).send(reportCsv(report.report));
      return reply.send(report);
    } finally {
      await received.cleanup();
    }
  }

  app.get(
    '/template.csv',
    { config: { policy: 'public' }, schema: { tags, summary: 'The CSV template: French headers and one example row' } },
    async (_request, reply) => reply.headers(csvHeaders('modele-import-rpps.csv')).send(templateCsv()),
  );

  app.get(
    '/template.xlsx',
    { config: { policy: 'public' }, schema: { tags, summary: 'The XLSX template: French headers and one example row, columns as text' } },
    async (_request, reply) =>
      reply
        .headers({ 'content-type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'content-disposition': 'attachment; filename="modele-import-rpps.xlsx"' })
        .send(await templateXlsx()),
  );

  app.get(
    '/codes/:list',
    { config: { policy: 'public' }, schema: { tags, summary: 'A list of valid codes of the file (civilite, pays, communes, professions, roles, modes) as CSV code;libellé', params: codeListParams, response: { 200: z.string(), 400: problemSchema } } },
    async (request, reply) =>
      reply.headers(csvHeaders(`codes-${request.params.list}.csv`)).send(await codeListCsv(ctx.db, request.params.list, todayOf(ctx.clock))),
  );

  app.get(
    '/structures',
    { config: person, schema: { tags, summary: 'EJ the signed-in person may import into, with the EG of his scope', response: { 200: structureChoices, ...errors } } },
    async (request) => api.structures(request.actor),
  );

  for (const [prefix, config] of [['', person], ['/machine', machine]] as const) {
    app.post(
      `${prefix}/`,
      {
        config,
        schema: {
          tags,
          summary: 'Dry run (per-row report, nothing written) or commit of a CSV or XLSX file (multipart: file, ejFiness, mode, declarations, format)',
          consumes: ['multipart/form-data'],
          response: { 200: checkReport.or(z.string()), 202: progressView, ...errors },
        },
        // Authorized before the body is read: a stranger's upload is never received.
        preHandler: async (request) => api.authorizeUpload(request.actor),
      },
      upload,
    );
    app.get(
      `${prefix}/:id`,
      { config, schema: { tags, summary: 'Progress of a committed import (counts, ETA)', params: importParams, response: { 200: progressView, ...errors } } },
      async (request) => api.progress(request.actor, request.params.id),
    );
    app.get(
      `${prefix}/:id/report.csv`,
      { config, schema: { tags, summary: 'Per-row report of a committed import (CSV)', params: importParams } },
      async (request, reply) => reply.headers(csvHeaders('rapport-import.csv')).send(await api.reportCsv(request.actor, request.params.id)),
    );
  }
};
