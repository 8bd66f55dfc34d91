import fs from 'node:fs';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';

export type FinessFormat = 'etalab-csv' | 'json-flow';

/** Opens a file, gunzipping it when it starts with the gzip magic bytes. */
export function openContent(file: string, gzip: boolean): Readable & { fileBytesRead(): number } {
  const raw = fs.createReadStream(file);
  let stream: Readable = raw;
  if (gzip) {
    const gunzip = zlib.createGunzip();
    raw.on('error', (err) => gunzip.destroy(err));
    stream = raw.pipe(gunzip);
  }
  // Progress is read from the file stream's own counter: a 'data' listener would switch the
  // stream to flowing mode before the parser is attached, and lose the first chunks.
  return Object.assign(stream, { fileBytesRead: () => raw.bytesRead });
}

async function head(stream: Readable, size: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  try {
    for await (const chunk of stream) {
      chunks.push(chunk as Buffer);
      length += (chunk as Buffer).length;
      if (length >= size) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(chunks).subarray(0, size);
}

export class UnknownFormatError extends Error {
  override name = 'UnknownFormatError';
}

/**
 * Recognises a FINESS file by its content, not its name (downloads are often renamed): gzip
 * magic bytes, then JSON (`{`) or the etalab extract (`finess;etalab` header or `structure…` rows).
 */
export async function detectFormat(file: string): Promise<{ format: FinessFormat; gzip: boolean }> {
  const magic = await head(fs.createReadStream(file), 2);
  const gzip = magic[0] === 0x1f && magic[1] === 0x8b;
  const start = (await head(openContent(file, gzip), 256)).toString('latin1').replace(/^(\xEF\xBB\xBF|\s)+/, '');
  if (start.startsWith('{')) return { format: 'json-flow', gzip };
  if (/^(finess;etalab;|structureet;|structureej;)/i.test(start)) return { format: 'etalab-csv', gzip };
  throw new UnknownFormatError(
    'format non reconnu : ni extraction etalab (ligne « finess;etalab;… »), ni flux JSON FINESS (gzip ou JSON)',
  );
}

/** Strict UTF-8 or not: 2026 extracts are UTF-8, older ones ISO-8859-1 (read as Windows-1252). */
export async function detectEncoding(file: string, gzip: boolean): Promise<'utf8' | 'win1252'> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of openContent(file, gzip)) decoder.decode(chunk as Buffer, { stream: true });
    decoder.decode();
    return 'utf8';
  } catch (err) {
    if (err instanceof TypeError) return 'win1252';
    throw err;
  }
}
