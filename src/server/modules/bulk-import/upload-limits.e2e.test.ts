import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTestApp, type TestApp } from '../../../../tests/support/app.ts';
import { demo, multipart, sessionFor, type Session } from '../onboarding/testing.ts';
import { toCsv, validRow } from './testing.ts';

/**
 * Issue 15, hole 1: a multipart upload over any limit (fields, files, parts, size) is answered at
 * once with a 4xx problem, over a real socket, and leaves no temp directory nor open upload file.
 */
let t: TestApp;
let g: Session;
let port: number;

beforeAll(async () => {
  // A private temporary directory: other test runs on this machine create their own upload dirs.
  vi.stubEnv('TMPDIR', fs.mkdtempSync(path.join(os.tmpdir(), 'rpps-upload-limits-')));
  t = await createTestApp({ env: { BULK_IMPORT_MAX_BYTES: '20000' } });
  g = await sessionFor(t.app, t.database.db, demo.idnps.gestionnaireEj);
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await t?.close();
  const dir = os.tmpdir();
  vi.unstubAllEnvs();
  fs.rmSync(dir, { recursive: true, force: true });
});

const tempDirs = () => fs.readdirSync(os.tmpdir()).filter((d) => d.startsWith('rpps-bulk-')).length;
/** Open descriptors of this process on upload files (Linux: /proc/self/fd). */
const openUploadFiles = () =>
  fs.readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return fs.readlinkSync(`/proc/self/fd/${fd}`).includes('rpps-bulk-');
    } catch {
      return false;
    }
  }).length;

/** One raw HTTP/1.1 request on its own socket: the status line, or 'timeout' if none comes in 10 s. */
function rawPost(path: string, headers: Record<string, string>, body: Buffer, method = 'POST'): Promise<number | 'timeout'> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('timeout');
    }, 10_000);
    socket.on('data', (chunk) => {
      data += chunk.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(data);
      if (m) {
        clearTimeout(timer);
        socket.destroy();
        resolve(Number(m[1]));
      }
    });
    socket.on('error', () => {
      clearTimeout(timer);
      resolve(data ? Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0) : 0);
    });
    const head = Object.entries({ ...headers, 'content-length': String(body.length), connection: 'close' })
      .map(([k, v]) => `${k}: ${v}`)
      .join('\r\n');
    socket.write(`${method} ${path} HTTP/1.1\r\nhost: localhost\r\n${head}\r\n\r\n`);
    socket.write(body);
  });
}

const csv = toCsv([validRow(1, demo.eg1)]);
const manyFields = (n: number) => Object.fromEntries([['ejFiness', demo.ej], ['mode', 'dry-run'], ...Array.from({ length: n }, (_, i) => [`extra${i}`, 'x'])]);

describe('bulk import upload limits', () => {
  it('100 uploads with more than 10 fields: all answered 4xx, no temp directory nor open file left', async () => {
    const before = tempDirs();
    const statuses: (number | 'timeout')[] = [];
    for (let batch = 0; batch < 10; batch++) {
      statuses.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, (_, i) => {
            // Half with the file first, half with the fields first.
            const f = (batch + i) % 2 ? multipart(manyFields(12), { file: { name: 'a.csv', content: csv, type: 'text/csv' } }) : fileFirst(manyFields(12));
            return rawPost('/api/bulk-imports/', { ...g.headers, ...f.headers }, f.payload);
          }),
        )),
      );
    }
    expect(statuses.filter((s) => s === 'timeout' || s < 400 || s >= 500)).toEqual([]);
    expect(openUploadFiles()).toBe(0);
    expect(before).toBe(0);
    expect(tempDirs()).toBe(0);
  }, 120_000);

  it('answers 413 problems for too many fields, files or a file too large', async () => {
    const tooManyFields = multipart(manyFields(12), { file: { name: 'a.csv', content: csv, type: 'text/csv' } });
    const res = await g.send('POST', '/api/bulk-imports/', tooManyFields.payload, tooManyFields.headers);
    expect([res.statusCode, res.headers['content-type'], res.json().type]).toEqual([413, 'application/problem+json; charset=utf-8', 'urn:rpps-plus:problem:multipart-limit']);
    const twoFiles = multipart({ ejFiness: demo.ej, mode: 'dry-run' }, { file: { name: 'a.csv', content: csv, type: 'text/csv' }, other: { name: 'b.csv', content: csv, type: 'text/csv' } });
    const res2 = await g.send('POST', '/api/bulk-imports/', twoFiles.payload, twoFiles.headers);
    expect([res2.statusCode, res2.json().type]).toEqual([413, 'urn:rpps-plus:problem:multipart-limit']);
  });

  it('refuses a person with no role before reading the body', async () => {
    const citizen = await sessionFor(t.app, t.database.db, '899999999999');
    const f = multipart(manyFields(12), { file: { name: 'a.csv', content: csv, type: 'text/csv' } });
    const status = await rawPost('/api/bulk-imports/', { ...citizen.headers, ...f.headers }, f.payload);
    expect(status).toBe(403);
  });

  it('the identity-document receiver answers too many fields at once, and a truncated body with 400', async () => {
    const draft = (await g.send('POST', '/api/register/drafts')).json() as { id: string };
    const f = multipart(manyFields(60));
    expect(await rawPost(`/api/register/drafts/${draft.id}/identity-document`, { ...g.headers, ...f.headers }, f.payload, 'PUT')).toBe(413);
    const truncated = multipart({}, { identityDocument: { name: 'cni.pdf', content: Buffer.from('%PDF-1.4 '.repeat(100)) } });
    const res = await g.send('PUT', `/api/register/drafts/${draft.id}/identity-document`, truncated.payload.subarray(0, truncated.payload.length - 40), truncated.headers);
    expect([res.statusCode, res.json().type]).toEqual([400, 'urn:rpps-plus:problem:malformed-body']);
    expect((await g.get(`/api/register/drafts/${draft.id}`)).json().identityDocument ?? null).toBeNull();
  });
});

/** The file part before the text fields. */
function fileFirst(fields: Record<string, string>) {
  const boundary = `----rppsTest${Math.random().toString(16).slice(2)}`;
  const chunks = [
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\nContent-Type: text/csv\r\n\r\n`),
    csv,
    Buffer.from('\r\n'),
    ...Object.entries(fields).map(([k, v]) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`)),
    Buffer.from(`--${boundary}--\r\n`),
  ];
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}
