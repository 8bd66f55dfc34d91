import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { AcceptedType } from './sniff.ts';

export interface NewFile {
  /** What the document is for: 'signed-contract', 'elearning-attestation', later 'identity-document'. */
  purpose: string;
  contentType: AcceptedType;
  originalName: string;
  content: Buffer;
  createdBy: string;
}

export interface StoredFileInfo {
  id: string;
  purpose: string;
  contentType: AcceptedType;
  sizeBytes: number;
  sha256: string;
  originalName: string;
  createdAt: Date;
}

/**
 * Where uploaded documents live. Writes take the caller's transaction, so a document is stored
 * only if the business change that refers to it commits ("nothing stored when the request
 * fails"). Reading is not guarded here: callers first decide with the policy whether the person
 * may see the entity that owns the file (src/server/auth/policy.ts).
 * The PostgreSQL implementation below keeps documents in the database (one backup); an object
 * storage implementation would keep the bytes elsewhere and the metadata row here.
 */
export interface FileStore {
  put(trx: Kysely<DB>, file: NewFile, now: Date): Promise<StoredFileInfo>;
  get(db: Kysely<DB>, id: string): Promise<(StoredFileInfo & { content: Buffer }) | undefined>;
}

export const postgresFileStore: FileStore = {
  async put(trx, file, now) {
    const row = await trx
      .insertInto('storedFile')
      .values({
        purpose: file.purpose,
        contentType: file.contentType,
        sizeBytes: file.content.length,
        sha256: createHash('sha256').update(file.content).digest('hex'),
        originalName: file.originalName.slice(0, 255),
        content: file.content,
        createdBy: file.createdBy,
        createdAt: now,
      })
      .returning(['id', 'purpose', 'contentType', 'sizeBytes', 'sha256', 'originalName', 'createdAt'])
      .executeTakeFirstOrThrow();
    return row;
  },
  async get(db, id) {
    const row = await db.selectFrom('storedFile').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    return { ...row, content: Buffer.from(row.content) };
  },
};
