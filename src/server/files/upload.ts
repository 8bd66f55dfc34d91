import type { MultipartFile } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { DomainError, ValidationError } from '../errors.ts';
import { nulCharactersIn } from '../http/input.ts';
import { type AcceptedType, sniffType } from './sniff.ts';

/** Largest accepted document (a scanned contract of a few pages fits easily). */
export const maxUploadBytes = 10 * 1024 * 1024;

export class PayloadTooLargeError extends DomainError {
  constructor(field: string, limit: number) {
    super('payload-too-large', 413, `Le fichier dépasse la taille maximale autorisée (${Math.round(limit / 1024 / 1024)} Mo).`, [
      { pointer: `/body/${field}`, detail: 'Fichier trop volumineux.' },
    ]);
  }
}

export class UnsupportedFileTypeError extends DomainError {
  constructor(field: string, accepted: readonly AcceptedType[]) {
    const names = accepted.map((t) => ({ 'application/pdf': 'PDF', 'image/jpeg': 'JPEG', 'image/png': 'PNG' })[t]).join(', ');
    super('unsupported-file-type', 415, `Le contenu du fichier n’est pas d’un type accepté (${names}), quel que soit son nom.`, [
      { pointer: `/body/${field}`, detail: `Type de fichier non accepté (${names}).` },
    ]);
  }
}

export class NotMultipartError extends DomainError {
  constructor() {
    super('unsupported-media-type', 415, 'Envoyez ce formulaire en multipart/form-data.');
  }
}

export class MalformedMultipartError extends DomainError {
  constructor() {
    super('malformed-body', 400, 'Le formulaire envoyé (multipart/form-data) est mal formé.');
  }
}

/** Errors of the multipart parser (no boundary, truncated or malformed parts) are bad input: 400. */
export function multipartFailure(err: unknown): unknown {
  if (!(err instanceof Error) || err instanceof DomainError) return err;
  const truncated = (err as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE';
  return truncated || /^(Multipart: |Malformed |Unexpected end of )/.test(err.message) ? new MalformedMultipartError() : err;
}

/** A text field of a multipart form, refused when it holds a NUL character (PostgreSQL cannot store it). */
export function multipartText(fieldname: string, value: unknown): string {
  const text = String(value);
  const found = nulCharactersIn(text, `/body/${fieldname}`);
  if (found.length > 0) throw new ValidationError('Certaines valeurs envoyées ne sont pas valides.', found);
  return text;
}

export interface UploadedFile {
  field: string;
  filename: string;
  contentType: AcceptedType;
  content: Buffer;
}

export interface MultipartForm {
  fields: Record<string, string | string[]>;
  files: Record<string, UploadedFile>;
}

const isTooLarge = (err: unknown) =>
  typeof err === 'object' && err !== null && 'code' in err && (err as { code: string }).code === 'FST_REQ_FILE_TOO_LARGE';

/**
 * Reads a multipart form completely, in memory (documents are small): text fields, and files
 * checked for size and for type by their content. Throws 413/415 problems; stores nothing.
 * A repeated text field becomes an array (e.g. several `egFiness`).
 */
export async function readMultipartForm(
  request: FastifyRequest,
  options: { accepted: readonly AcceptedType[]; maxBytes?: number } ,
): Promise<MultipartForm> {
  if (!request.isMultipart()) throw new NotMultipartError();
  const maxBytes = options.maxBytes ?? maxUploadBytes;
  const form: MultipartForm = { fields: {}, files: {} };
  let current = '';
  try {
    for await (const part of request.parts({ limits: { fileSize: maxBytes, files: 5, fields: 50, fieldSize: 10_000 } })) {
      current = part.fieldname;
      if (part.type === 'file') {
        const file = part as MultipartFile;
        const content = await file.toBuffer();
        if (content.length === 0) continue; // an empty file input: as if no file was chosen
        const type = sniffType(content);
        if (!type || !options.accepted.includes(type)) throw new UnsupportedFileTypeError(part.fieldname, options.accepted);
        form.files[part.fieldname] = { field: part.fieldname, filename: file.filename, contentType: type, content };
      } else {
        const value = multipartText(part.fieldname, part.value);
        const previous = form.fields[part.fieldname];
        form.fields[part.fieldname] = previous === undefined ? value : [...(Array.isArray(previous) ? previous : [previous]), value];
      }
    }
  } catch (err) {
    if (isTooLarge(err)) throw new PayloadTooLargeError(current, maxBytes);
    throw multipartFailure(err);
  }
  return form;
}
