import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/**
 * A minimal browser over `app.inject`: a cookie jar and redirect following, enough to walk
 * the OpenID Connect flow through the embedded identity providers without a real browser.
 */
export function createAgent(app: FastifyInstance, base = 'http://localhost:3000') {
  const jar = new Map<string, string>();

  function store(res: LightMyRequestResponse) {
    const raw = res.headers['set-cookie'];
    for (const line of raw === undefined ? [] : Array.isArray(raw) ? raw : [raw]) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || attrs.some((a) => /^\s*expires=thu, 01 jan 1970/i.test(a));
      if (expired || value === '') jar.delete(name);
      else jar.set(name, value);
    }
  }

  async function request(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    options: { payload?: string | object; headers?: Record<string, string> } = {},
  ): Promise<LightMyRequestResponse> {
    const u = new URL(url, base);
    const cookie = [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await app.inject({
      method,
      url: u.pathname + u.search,
      headers: { host: u.host, ...(cookie ? { cookie } : {}), ...options.headers },
      ...(options.payload === undefined ? {} : { payload: options.payload }),
    });
    store(res);
    return res;
  }

  /** Follows redirects while `until` says so; returns the last response and its URL. */
  async function follow(
    first: LightMyRequestResponse,
    from: string,
    until: (next: URL) => boolean = () => true,
  ): Promise<{ res: LightMyRequestResponse; url: string }> {
    let res = first;
    let url = new URL(from, base).href;
    for (let hops = 0; hops < 20 && res.statusCode >= 300 && res.statusCode < 400 && res.headers.location; hops++) {
      const next = new URL(String(res.headers.location), url);
      if (!until(next)) return { res, url };
      url = next.href;
      res = await request('GET', url);
    }
    return { res, url };
  }

  return { jar, request, follow };
}
export type Agent = ReturnType<typeof createAgent>;

/**
 * Signs in through an embedded provider with a demo identity, up to the provider's redirect to
 * our callback (not followed): returns that callback URL.
 */
export async function reachCallback(agent: Agent, provider: 'psc' | 'franceconnect', identityKey: string, retour = '/mon-espace') {
  const start = `/auth/${provider}/login?retour=${encodeURIComponent(retour)}`;
  const first = await agent.request('GET', start);
  if (first.statusCode !== 302) throw new Error(`login did not redirect: ${first.statusCode} ${first.body}`);
  const notCallback = (u: URL) => !u.pathname.startsWith(`/auth/${provider}/callback`);
  const page = await agent.follow(first, start, notCallback);
  // Still signed in at the provider (single sign-on): it answers at once.
  if (page.res.headers.location && !notCallback(new URL(String(page.res.headers.location), page.url))) {
    return new URL(String(page.res.headers.location), page.url).href;
  }
  if (page.res.statusCode !== 200) throw new Error(`no login page: ${page.res.statusCode} ${page.res.body.slice(0, 500)}`);
  const action = /<form method="post" action="([^"]+)"/.exec(page.res.body)?.[1];
  if (!action) throw new Error('no login form');
  const posted = await agent.request('POST', action.replace(/&amp;/g, '&'), {
    payload: `identity=${encodeURIComponent(identityKey)}`,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  const end = await agent.follow(posted, action, notCallback);
  const location = end.res.headers.location;
  if (!location || notCallback(new URL(String(location), end.url))) {
    throw new Error(`provider did not redirect to the callback: ${end.res.statusCode} ${end.res.body.slice(0, 500)}`);
  }
  return new URL(String(location), end.url).href;
}

/** Full sign-in; returns the final redirect (where the web app takes over). */
export async function signIn(agent: Agent, provider: 'psc' | 'franceconnect', identityKey: string, retour = '/mon-espace') {
  const callback = await reachCallback(agent, provider, identityKey, retour);
  const res = await agent.request('GET', callback);
  return { res, location: String(res.headers.location ?? '') };
}

export const csrfOf = (agent: Agent) => agent.jar.get('rpps_csrf') ?? '';
