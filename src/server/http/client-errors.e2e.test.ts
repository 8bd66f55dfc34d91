import net from 'node:net';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, fixedClock, type TestDatabase } from '../../../tests/support/db.ts';
import { buildApp } from '../app.ts';

/**
 * Requests that Node's HTTP parser refuses before Fastify routes them (what an HTTP fuzzer sends;
 * `app.inject` cannot, so these go over a real socket). Checked from outside, 5 December 2026:
 * they got Fastify's English `{"error":"Bad Request","message":"Client Error"}`.
 */
describe('malformed HTTP requests', () => {
  let app: FastifyInstance;
  let database: TestDatabase;
  let port: number;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await buildApp({ config: database.config, db: database.db, clock: fixedClock('2026-11-23T10:00:00Z') }, { logger: false });
    await app.listen({ port: 0, host: '127.0.0.1' });
    port = (app.server.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  /** Sends raw bytes, reads until the server closes the connection. */
  function raw(request: string): Promise<{ status: number; headers: string; body: string }> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => socket.end(request, 'latin1'));
      const chunks: Buffer[] = [];
      socket.on('data', (c: Buffer) => chunks.push(c));
      socket.on('error', reject);
      socket.on('close', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const [headers = '', body = ''] = text.split('\r\n\r\n', 2);
        resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(headers)?.[1]), headers, body });
      });
    });
  }

  const json = 'POST /api/support/requests HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n';
  const cases: Array<[string, string, number, string]> = [
    ['a control character in a header', 'GET /api/session HTTP/1.1\r\nHost: x\r\nX-A: a\x01b\r\n\r\n', 400, 'malformed-request'],
    ['a Content-Length that is not a number', `${json}Content-Length: abc\r\n\r\n{}`, 400, 'malformed-request'],
    ['two Content-Length', `${json}Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}`, 400, 'malformed-request'],
    ['a broken chunked body', `${json}Transfer-Encoding: chunked\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n`, 400, 'malformed-request'],
    ['Content-Length and chunked together', `${json}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, 400, 'malformed-request'],
    ['a method with a forbidden character', 'G@T /api/session HTTP/1.1\r\nHost: x\r\n\r\n', 400, 'malformed-request'],
    ['a space in the path', 'GET /api/ses sion HTTP/1.1\r\nHost: x\r\n\r\n', 400, 'malformed-request'],
    ['an HTTP/1.1 request without Host', 'GET /api/session HTTP/1.1\r\nConnection: close\r\n\r\n', 400, 'malformed-request'],
    ['headers too large', `GET /api/session HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'headers-too-large'],
  ];

  for (const [what, request, status, code] of cases) {
    it(`${what}: ${status} problem+json in French, connection closed`, async () => {
      const res = await raw(request);
      expect(res.status).toBe(status);
      expect(res.headers).toMatch(/^Content-Type: application\/problem\+json; charset=utf-8$/im);
      const problem = JSON.parse(res.body);
      expect(problem).toMatchObject({ type: `urn:rpps-plus:problem:${code}`, status });
      expect(problem.detail).toMatch(/requête|en-têtes/i);
      expect(res.body).not.toMatch(/Bad Request|Client Error|Exceeded/);
    });
  }

  it('a well-formed request on the same server is still answered', async () => {
    const res = await raw('GET /health/live HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(res.status).toBe(200);
  });
});
