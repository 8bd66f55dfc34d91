import busboy, { type BusboyHeaders, type BusboyInstance } from '@fastify/busboy';
import type { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DomainError, declareProblem } from '../errors.ts';

/**
 * The one multipart/form-data reader of every upload route (issue 15, hole 1). Its rule: the
 * request ends at once when the form breaks a limit or is malformed — a 413/400 problem, file
 * streams destroyed, the rest of the body discarded — so an upload never waits for ever holding
 * a socket, a descriptor or a temporary file. Authorize before calling it (a `preHandler`, or a
 * service that reads the form only once the actor is allowed).
 */
export interface MultipartLimits {
  /** Largest file, in bytes. */
  fileSize: number;
  files: number;
  fields: number;
  /** Largest text field, in bytes. */
  fieldSize: number;
}

export interface IncomingFile {
  field: string;
  filename: string;
  mimeType: string;
  stream: Readable;
}

export class NotMultipartError extends declareProblem('unsupported-media-type', 415, 'Envoyez ce formulaire en multipart/form-data.') {}

export class MalformedMultipartError extends declareProblem('malformed-body', 400, 'Le formulaire envoyé (multipart/form-data) est mal formé ou incomplet.') {}

export class MultipartLimitError extends DomainError {
  constructor(limits: MultipartLimits) {
    super(
      'multipart-limit',
      413,
      `Le formulaire envoyé dépasse les limites acceptées (${limits.fields} champs, ${limits.files} fichier${limits.files > 1 ? 's' : ''}, ${limits.fieldSize} octets par champ).`,
    );
  }
}

export class FileTooLargeError extends DomainError {
  constructor(field: string, limit: number) {
    super('payload-too-large', 413, `Le fichier dépasse la taille maximale autorisée (${Math.max(1, Math.round(limit / 1024 / 1024))} Mo).`, [
      { pointer: `/body/${field}`, detail: 'Fichier trop volumineux.' },
    ]);
  }
}

/**
 * Routes of this (encapsulated) plugin accept multipart bodies, left unread until the handler
 * calls `readMultipart`.
 */
export function acceptMultipart(app: FastifyInstance): void {
  app.addContentTypeParser('multipart/form-data', (_request, _payload, done) => done(null));
}

export const isMultipart = (request: FastifyRequest) => /^multipart\/form-data\s*(;|$)/i.test(request.headers['content-type'] ?? '');

/**
 * Reads the form: text fields are returned (a repeated field keeps every value, in order), each
 * file is handed to `onFile`, which must consume or store its stream. Rejects with a problem as
 * soon as a limit is hit, the body is malformed or truncated, or `onFile` fails; it settles only
 * once every `onFile` has.
 */
export function readMultipart(
  request: FastifyRequest,
  limits: MultipartLimits,
  onFile: (file: IncomingFile) => Promise<void>,
  options: { fileTooLarge?: (field: string) => Error } = {},
): Promise<Map<string, string[]>> {
  if (!isMultipart(request)) return Promise.reject(new NotMultipartError());
  const raw = request.raw;
  return new Promise((resolve, reject) => {
    const fields = new Map<string, string[]>();
    const open = new Set<Readable>();
    const pending: Promise<void>[] = [];
    let settled = false;
    let bb: BusboyInstance;

    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      raw.unpipe(bb);
      for (const stream of open) stream.destroy(err instanceof Error ? err : new Error(String(err)));
      // The rest of the body is discarded; Node closes the connection once the answer is sent.
      raw.resume();
      void Promise.allSettled(pending).then(() => reject(err));
    };

    try {
      bb = busboy({
        headers: request.headers as BusboyHeaders,
        limits: { fileSize: limits.fileSize, files: limits.files, fields: limits.fields, fieldSize: limits.fieldSize, parts: limits.files + limits.fields },
      });
    } catch {
      reject(new MalformedMultipartError());
      return;
    }
    bb.on('field', (name, value, nameTruncated, valueTruncated) => {
      if (settled) return;
      if (nameTruncated || valueTruncated) return fail(new MultipartLimitError(limits));
      fields.set(name, [...(fields.get(name) ?? []), value]);
    });
    bb.on('file', (field, stream, filename, _encoding, mimeType) => {
      if (settled) return stream.resume();
      open.add(stream);
      stream.on('close', () => open.delete(stream));
      stream.on('end', () => open.delete(stream));
      stream.on('limit', () => fail(options.fileTooLarge?.(field) ?? new FileTooLargeError(field, limits.fileSize)));
      pending.push(onFile({ field, filename, mimeType, stream }).catch(fail));
    });
    for (const event of ['partsLimit', 'filesLimit', 'fieldsLimit'] as const) bb.on(event, () => fail(new MultipartLimitError(limits)));
    bb.on('error', () => fail(new MalformedMultipartError()));
    bb.on('finish', () => {
      void Promise.all(pending).then(() => {
        if (settled) return;
        settled = true;
        resolve(fields);
      }, fail);
    });
    raw.on('error', () => fail(new MalformedMultipartError()));
    raw.on('close', () => {
      // The client went away before the end of its body.
      if (!raw.readableEnded) fail(new MalformedMultipartError());
    });
    raw.pipe(bb);
  });
}
