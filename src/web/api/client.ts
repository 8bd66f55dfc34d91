/**
 * The one way the web app talks to the API. Every API error is an RFC 9457 problem+json
 * document (see src/server/http/problem.ts); it becomes an `ApiError` the screens can show,
 * with the per-field errors indexed by the name of the field they point at.
 */
import type { Problem } from '../../server/http/problem.ts';

export type { Problem };
export type FieldErrors = Partial<Record<string, string>>;

export class ApiError extends Error {
  override name = 'ApiError';
  readonly status: number;
  readonly problem: Problem;

  constructor(problem: Problem) {
    super(problem.detail);
    this.status = problem.status;
    this.problem = problem;
  }

  /** Stable problem code (`urn:rpps-plus:problem:<code>` → `<code>`), for decisions. */
  get code(): string {
    return this.problem.type.replace(/^urn:rpps-plus:problem:/, '');
  }

  /** Field-level errors keyed by the last segment of their pointer (`/query/q` → `q`). */
  get fieldErrors(): FieldErrors {
    const out: FieldErrors = {};
    for (const e of this.problem.errors ?? []) {
      const name = e.pointer.split('/').filter(Boolean).pop();
      if (name && out[name] === undefined) out[name] = e.detail;
    }
    return out;
  }
}

/** Event sent on any 401: the session store asks the server again (header, protected pages follow). */
export const unauthorizedEvent = 'rpps:unauthorized';
function signalUnauthorized() {
  if (typeof window !== 'undefined') window.dispatchEvent(new Event(unauthorizedEvent));
}

/** The network failed or the answer was not what the API promises. */
export class NetworkError extends Error {
  override name = 'NetworkError';
}

function isProblem(value: unknown): value is Problem {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.type === 'string' && typeof v.status === 'number' && typeof v.detail === 'string';
}

const fallbackDetail = 'Le service ne répond pas comme prévu. Réessayez dans quelques instants.';

export type QueryValue = string | number | undefined | null;

/** `/api/structures` + `{ q: 'ehpad', page: 2 }` → `/api/structures?q=ehpad&page=2` (empty values dropped). */
export function withQuery(path: string, query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** GET a JSON resource; throws `ApiError` (problem+json) or `NetworkError`. */
export async function getJson<T>(url: string, init: { signal?: AbortSignal } = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json, application/problem+json' }, signal: init.signal });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new NetworkError('Impossible de joindre le service. Vérifiez votre connexion puis réessayez.');
  }
  const contentType = response.headers.get('content-type') ?? '';
  const body: unknown = contentType.includes('json') ? await response.json().catch(() => undefined) : undefined;
  if (response.ok) {
    if (body === undefined) throw new NetworkError(fallbackDetail);
    return body as T;
  }
  if (response.status === 401) signalUnauthorized();
  if (isProblem(body)) throw new ApiError(body);
  throw new ApiError({
    type: 'about:blank',
    title: response.statusText || 'Erreur',
    status: response.status,
    detail: fallbackDetail,
  });
}

export const isAbort = (err: unknown) => err instanceof DOMException && err.name === 'AbortError';

/**
 * The CSRF token of the browser session (cookie `rpps_csrf`, `__Host-rpps_csrf` over https):
 * every state-changing request echoes it in the `x-csrf-token` header, or the server answers 403.
 */
export function csrfToken(): string {
  if (typeof document === 'undefined') return '';
  const match = /(?:^|;\s*)(?:__Host-)?rpps_csrf=([^;]+)/.exec(document.cookie);
  return match ? decodeURIComponent(match[1]!) : '';
}

/** POST/PUT/PATCH/DELETE with a JSON body and the CSRF header; throws `ApiError` or `NetworkError`. */
export async function sendJson<T>(method: 'POST' | 'PUT' | 'PATCH' | 'DELETE', url: string, body?: unknown, token = csrfToken()): Promise<T> {
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: {
        accept: 'application/json, application/problem+json',
        'x-csrf-token': token,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new NetworkError('Impossible de joindre le service. Vérifiez votre connexion puis réessayez.');
  }
  const contentType = response.headers.get('content-type') ?? '';
  const parsed: unknown = contentType.includes('json') ? await response.json().catch(() => undefined) : undefined;
  if (response.ok) return parsed as T;
  if (response.status === 401) signalUnauthorized();
  if (isProblem(parsed)) throw new ApiError(parsed);
  throw new ApiError({ type: 'about:blank', title: response.statusText || 'Erreur', status: response.status, detail: fallbackDetail });
}

export const postJson = <T>(url: string, body?: unknown, token?: string) => sendJson<T>('POST', url, body, token);
