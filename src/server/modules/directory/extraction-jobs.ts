import { z } from 'zod';
import type { Config } from '../../config.ts';
import type { Clock } from '../../context.ts';
import type { Database } from '../../db/database.ts';
import { defineJob, type JobLogger } from '../../jobs/index.ts';
import { createDirectoryExtraction, type DirectoryExtraction, type ExtractionKind } from './extraction.ts';

declare module '../../jobs/index.ts' {
  interface JobPayloads {
    /** `kind` absent: the daily run (delta, then full). */
    'directory.extract': { kind?: ExtractionKind };
  }
}

/** Every day at 02:30 (Paris): the day's delta, then a new full file. */
export const directoryExtractCron = '30 2 * * *';

/** Runs the extraction(s) of one job and logs one line per file (no personal data in the files' metadata). */
export async function runExtraction(extraction: Pick<DirectoryExtraction, 'generate'>, kind: ExtractionKind | undefined, log: JobLogger) {
  // The delta first: it starts where the previous file ended, before the new full file moves that point.
  const kinds: ExtractionKind[] = kind ? [kind] : ['delta', 'full'];
  const results = [];
  for (const k of kinds) {
    const result = await extraction.generate(k);
    if (result.status === 'running') log.info({ kind: k }, 'directory.extraction_skipped_running');
    else {
      const { id, fileName, lineCount, withdrawnCount, sizeBytes } = result.extraction;
      log.info({ kind: k, status: result.status, id, fileName, lineCount, withdrawnCount, sizeBytes }, 'directory.extracted');
    }
    results.push(result);
  }
  return results;
}

/**
 * `directory.extract`: scheduled daily through pg-boss's cron (one job per tick whatever the
 * number of instances) and enqueued with `singletonKey` for manual runs; two runs that overlap
 * anyway produce one file (advisory lock and unique file name, see extraction.ts).
 */
export const directoryExtractJob = (deps: { db: Database; clock: Clock; config: Pick<Config, 'extraction'> }) => {
  const extraction = createDirectoryExtraction({ db: deps.db, clock: deps.clock, keep: deps.config.extraction.keep });
  return defineJob(
    'directory.extract',
    z.object({ kind: z.enum(['full', 'delta']).optional() }).strict(),
    async ({ kind }, run) => {
      await runExtraction(extraction, kind, run.log);
    },
    // A full file of 3 million lines takes minutes: do not let pg-boss consider it lost.
    { retryLimit: 3, retryDelaySeconds: 600, expireInSeconds: 3 * 3600, cron: directoryExtractCron },
  );
};
