import type { FastifyRequest } from 'fastify';
import { DomainError, ValidationError } from '../errors.ts';
import { nulCharactersIn } from '../http/input.ts';
import { readMultipart } from '../http/multipart.ts';
import { type AcceptedType, sniffType } from './sniff.ts';

/** Largest accepted document (a scanned contract of a few pages fits easily). */
export const maxUploadBytes = 10 * 1024 * 1024;

export class UnsupportedFileTypeError extends DomainError {
  constructor(field: string, accepted: readonly AcceptedType[]) {
    const names = accepted.map((t) => ({ 'application/pdf': 'PDF', 'image/jpeg': 'JPEG', 'image/png': 'PNG' })[t]).join(', ');
    super('unsupported-file-type', 415, `Le contenu du fichier n’est pas d’un type accepté (${names}), quel que soit son nom.`, [
      { pointer: `/body/${field}`, detail: `Type de fichier non accepté (${names}).` },
    ]);
  }
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

/**
 * Reads a multipart form completely, in memory (documents are small): text fields, and files
 * checked for size and for type by their content. Throws 400/413/415 problems at the first broken
 * rule (http/multipart.ts); stores nothing. A repeated text field becomes an array (e.g. several `egFiness`).
 */
export async function readMultipartForm(
  request: FastifyRequest,
  options: { accepted: readonly AcceptedType[]; maxBytes?: number },
): Promise<MultipartForm> {
  const maxBytes = options.maxBytes ?? maxUploadBytes;
  const files: Record<string, UploadedFile> = {};
  const fields = await readMultipart(request, { fileSize: maxBytes, files: 5, fields: 50, fieldSize: 10_000 }, async (part) => {
    const chunks: Buffer[] = [];
    for await (const chunk of part.stream) chunks.push(chunk as Buffer);
    const content = Buffer.concat(chunks);
    if (content.length === 0) return; // an empty file input: as if no file was chosen
    const type = sniffType(content);
    if (!type || !options.accepted.includes(type)) throw new UnsupportedFileTypeError(part.field, options.accepted);
    files[part.field] = { field: part.field, filename: part.filename, contentType: type, content };
  });
  const form: MultipartForm = { fields: {}, files };
  for (const [name, values] of fields) {
    const texts = values.map((v) => multipartText(name, v));
    form.fields[name] = texts.length === 1 ? texts[0]! : texts;
  }
  return form;
}
