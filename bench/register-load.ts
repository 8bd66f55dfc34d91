import http from 'node:http';
import { distinctRegistration } from '../src/server/modules/register/testing.ts';

/**
 * The register bench's load: the timing loop, its people and the wizard's 7 requests as a
 * browser sends them. Shared by bench/register.bench.ts and its client thread
 * (bench/wizard-load.ts), so the HTTP wizard's requests are made on a thread of their own, as
 * browsers are elsewhere than the server in production.
 */
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;

export async function timed(n: number, concurrency: number, op: (i: number) => Promise<unknown>) {
  const times: number[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        const i = next++;
        const t = performance.now();
        await op(i);
        times.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  return { perSecond: n / seconds, p50: pct(times, 50), p95: pct(times, 95) };
}

/**
 * A person no run registered before on this database: distinct names (letters of `n`), one birth
 * date per `n` (1940 onwards, cycling over 60 years) and contacts, so no duplicate check fires.
 */
export function benchRegistration(n: number) {
  const r = distinctRegistration(n);
  const birthDate = new Date(Date.UTC(1940, 0, 1) + (n % 21_900) * 86_400_000).toISOString().slice(0, 10);
  return { ...r, etatCivil: { ...r.etatCivil, birthDate } };
}

/**
 * The wizard's HTTP client: node:http on kept-alive connections, a browser's requests without
 * `fetch`'s cost (the clients' thread spent about as much CPU as the server's with `fetch`).
 */
const agent = new http.Agent({ keepAlive: true, maxSockets: 10 });
function send(base: string, method: string, path: string, headers: Record<string, string>, body?: Buffer) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = http.request(`${base}${path}`, { method, agent, headers: body ? { ...headers, 'content-length': String(body.length) } : headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The identity document as a browser's multipart form sends it (one PDF part). */
const boundary = 'rpps-bench-boundary';
const identityDocument = Buffer.concat([
  Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="identityDocument"; filename="cni.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
  Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n'),
  Buffer.from(`\r\n--${boundary}--\r\n`),
]);

/** The wizard's 7 requests for person `n` on the server at `base`; `step` wraps each one (statement counts). */
export async function wizard(base: string, headers: Record<string, string>, n: number, step: (op: () => Promise<unknown>) => Promise<unknown> = (op) => op()) {
  const call = async (method: string, path: string, body?: unknown, contentType = 'application/json') => {
    const res = await send(base, method, `/api/register${path}`, body === undefined ? headers : { ...headers, 'content-type': contentType }, body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body)));
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
    return JSON.parse(res.text) as { id?: string; rpps?: string };
  };
  // Other people than the service registrations (distinct names, birth dates, contacts).
  const r = benchRegistration(n);
  let id: string | undefined;
  await step(async () => ({ id } = await call('POST', '/drafts')));
  await step(() => call('PUT', `/drafts/${id}/etat-civil`, r.etatCivil));
  await step(() => call('PUT', `/drafts/${id}/contact`, r.contact));
  await step(() => call('PUT', `/drafts/${id}/situation`, r.situation));
  await step(() => call('PUT', `/drafts/${id}/declarations`, { accurateAndInformed: true, metInPerson: true }));
  await step(() => call('PUT', `/drafts/${id}/identity-document`, identityDocument, `multipart/form-data; boundary=${boundary}`));
  await step(async () => {
    const { rpps } = await call('POST', `/drafts/${id}/submit`, {});
    if (!rpps) throw new Error('no RPPS number');
  });
}
