import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { AppContext } from '../../context.ts';
import { problemSchema } from '../../http/problem.ts';
import { createDirectoryExtraction } from './extraction.ts';
import { extractionList, extractionParams } from './schemas.ts';

/** Public extraction files of the directory (PS_LibreAcces zips): list and download, no sign-in. */
export const directoryExtractionRoutes: FastifyPluginAsyncZod<{ ctx: AppContext }> = async (app, { ctx }) => {
  const extraction = createDirectoryExtraction({ db: ctx.db, clock: ctx.clock, keep: ctx.config.extraction.keep });

  app.get(
    '/extractions',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['directory'],
        summary: 'Extraction files of the public directory (full and daily delta, newest first)',
        response: { 200: extractionList },
      },
    },
    async () => extraction.list(),
  );

  app.get(
    '/extractions/:id',
    {
      config: { policy: 'public' },
      schema: {
        tags: ['directory'],
        summary: 'Download an extraction file (zip; Last-Modified = generation date; ETag, If-None-Match → 304)',
        params: extractionParams,
        response: { 200: z.unknown().describe('The zip file (application/zip)'), 304: z.unknown().describe('Not modified'), 404: problemSchema },
      },
    },
    async (request, reply) => {
      const { info, content } = await extraction.download(request.params.id);
      const etag = `"${info.sha256}"`;
      reply.header('etag', etag).header('last-modified', info.generatedAt.toUTCString()).header('cache-control', 'public, max-age=300');
      const ifNoneMatch = request.headers['if-none-match'];
      if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim() === etag || t.trim() === '*')) return reply.code(304).send();
      return reply
        .type('application/zip')
        .header('content-length', String(info.sizeBytes))
        .header('content-disposition', `attachment; filename="${info.fileName}"`)
        .header('x-content-type-options', 'nosniff')
        .send(content());
    },
  );
};
