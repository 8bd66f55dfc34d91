import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import Provider, { type KoaContextLike } from 'oidc-provider';
import type { Config, OidcProviderConfig, OidcProviderName } from '../config.ts';
import { fcClaims, loadDemoIdentities, pscClaims, pscSubject, type DemoIdentities, type PscIdentity } from './identities.ts';
import { MemoryAdapter } from './memory-adapter.ts';
import { ecpsLoginForm, loginPage, logoutPage, messagePage, providerLabels } from './pages.ts';

/**
 * Professionals registered in RPPS+ who activated their e-CPS (src/server/modules/ecps): PSC
 * signs them in with their IDNPS and returns their real identifiers, or refuses with a French
 * explanation (not activated, suspended because no situation is active).
 */
export interface EcpsAccounts {
  authenticate(idnps: string): Promise<
    | {
        ok: true;
        profile: {
          idnps: string;
          rpps: string;
          civility: string;
          familyName: string;
          givenName: string;
          professionCode: string;
          sites: Array<{ id: string; name: string }>;
          exercices: NonNullable<PscIdentity['exercices']>;
        };
      }
    | { ok: false; title: string; message: string }
  >;
}

export function ecpsIdentity(p: Extract<Awaited<ReturnType<EcpsAccounts['authenticate']>>, { ok: true }>['profile']): PscIdentity {
  return {
    key: `ecps:${p.idnps}`,
    description: 'e-CPS',
    idnps: p.idnps,
    rpps: p.rpps,
    authMode: 'ECPS',
    card: null,
    civility: p.civility,
    familyName: p.familyName,
    givenName: p.givenName,
    professionCode: p.professionCode,
    organization: p.sites[0] ?? { id: '', name: '' },
    ...(p.sites[1] ? { secondSite: p.sites[1] } : {}),
    exercices: p.exercices,
    roles: [],
  };
}

/**
 * The embedded identity providers: oidc-provider instances that imitate Pro Santé Connect and
 * FranceConnect v2 (../shared/OIDC.md §3) so the product signs people in with no network, exactly
 * as with the real services. Development and tests only: config.ts refuses it in production
 * unless DEV_IDP_FORCE=true.
 */

/** PSC is Keycloak: endpoints under /protocol/openid-connect/. */
const pscRoutes = {
  authorization: '/protocol/openid-connect/auth',
  token: '/protocol/openid-connect/token',
  userinfo: '/protocol/openid-connect/userinfo',
  end_session: '/protocol/openid-connect/logout',
  jwks: '/protocol/openid-connect/certs',
  introspection: '/protocol/openid-connect/token/introspect',
};
/** FranceConnect v2 paths. */
const fcRoutes = {
  authorization: '/authorize',
  token: '/token',
  userinfo: '/userinfo',
  end_session: '/session/end',
  jwks: '/jwks',
};

const fcScopes = ['given_name', 'family_name', 'birthdate', 'gender', 'birthplace', 'birthcountry', 'email', 'preferred_username'];
const pscScopeAll = [
  'preferred_username',
  'SubjectNameID',
  'given_name',
  'family_name',
  'authMode',
  'SubjectOrganization',
  'SubjectOrganizationID',
  'SubjectRole',
  'Secteur_Activite',
  'Palier_Authentification',
  'PSI_Locale',
  'UITVersion',
  'Acces_Regulation_Medicale',
  'Mode_Acces_Raison',
  'SubjectRefPro',
  'otherIds',
];

function signingKeys(name: OidcProviderName) {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ format: 'jwk' });
  const keys: Array<Record<string, unknown>> = [{ ...rsa, kid: `${name}-rs256-${randomBytes(4).toString('hex')}`, use: 'sig', alg: 'RS256' }];
  if (name === 'franceconnect') {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
    // FranceConnect v2 signs with ES256: first in the list, so it is the default key.
    keys.unshift({ ...ec, kid: `${name}-es256-${randomBytes(4).toString('hex')}`, use: 'sig', alg: 'ES256' });
  }
  return keys;
}

const first = (v: unknown) => (Array.isArray(v) ? v[0] : v);

export interface DevIdp {
  /** Private signing keys, exposed for tests that forge tokens. */
  keys: Record<OidcProviderName, Array<Record<string, unknown>>>;
  identities: DemoIdentities;
}

function createProvider(
  name: OidcProviderName,
  p: OidcProviderConfig,
  identities: DemoIdentities,
  keys: Array<Record<string, unknown>>,
  ecps: EcpsAccounts | undefined,
) {
  const psc = name === 'psc';
  const accounts = new Map<string, Record<string, unknown>>(
    psc
      ? identities.psc.map((i) => [pscSubject(i.idnps), pscClaims(i)])
      : identities.franceconnect.map((i) => [i.sub, fcClaims(i)]),
  );
  const prefix = `/dev-idp/${name}`;
  const instanceId = `${name}-${randomBytes(8).toString('hex')}`;

  const provider = new Provider(p.issuer!, {
    clients: [
      {
        client_id: p.clientId,
        client_secret: p.clientSecret,
        redirect_uris: [p.redirectUri],
        post_logout_redirect_uris: [p.postLogoutRedirectUri],
        grant_types: ['authorization_code'],
        response_types: ['code'],
        token_endpoint_auth_method: psc ? 'client_secret_basic' : 'client_secret_post',
        id_token_signed_response_alg: psc ? 'RS256' : 'ES256',
        ...(psc ? {} : { userinfo_signed_response_alg: 'ES256' }),
      },
    ],
    jwks: { keys },
    routes: psc ? pscRoutes : fcRoutes,
    scopes: psc ? ['openid', 'scope_all'] : ['openid', ...fcScopes, 'profile', 'birth', 'identite_pivot'],
    claims: psc
      ? { openid: ['sub'], scope_all: pscScopeAll }
      : {
          openid: ['sub'],
          amr: null,
          ...Object.fromEntries(fcScopes.map((c) => [c, [c]])),
          profile: ['given_name', 'family_name', 'birthdate', 'gender', 'preferred_username'],
          birth: ['birthplace', 'birthcountry'],
          identite_pivot: ['given_name', 'family_name', 'birthdate', 'gender', 'birthplace', 'birthcountry'],
        },
    acrValues: ['eidas1'],
    findAccount: async (_ctx: unknown, id: string) => {
      const claims = accounts.get(id);
      if (claims) return { accountId: id, claims: () => claims };
      if (!psc || !ecps || !id.startsWith(pscSubject(''))) return undefined;
      // e-CPS holders: read from the register at every use, so a suspension applies at once.
      const found = await ecps.authenticate(id.slice(pscSubject('').length));
      return found.ok ? { accountId: id, claims: () => pscClaims(ecpsIdentity(found.profile)) } : undefined;
    },
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `${prefix}/interaction/${interaction.uid}` },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    pkce: { required: () => true },
    // Stores are per provider instance (two test apps in one process must not share codes).
    adapter: class extends MemoryAdapter {
      constructor(model: string) {
        super(`${instanceId}:${model}`);
      }
    },
    ttl: { AccessToken: psc ? 300 : 60, AuthorizationCode: 60, IdToken: 3600, Interaction: 600, Session: 3600, Grant: 3600 },
    features: {
      devInteractions: { enabled: false },
      claimsParameter: { enabled: true },
      jwtUserinfo: { enabled: !psc },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx: KoaContextLike, form: string) => {
          ctx.body = logoutPage(form);
        },
        postLogoutSuccessSource: (ctx: KoaContextLike) => {
          ctx.body = messagePage('Déconnexion réussie', `Vous êtes déconnecté de ${providerLabels[name]} (démonstration).`);
        },
      },
    },
    // The user already chose to sign in to RPPS+: consent is implicit (first-party service).
    loadExistingGrant: async (ctx: KoaContextLike) => {
      const oidc = ctx.oidc;
      const clientId = oidc.client!.clientId;
      const grantId = oidc.result?.consent?.grantId ?? oidc.session?.grantIdFor(clientId);
      if (grantId) {
        const found = await oidc.provider.Grant.find(grantId);
        if (found) return found;
      }
      if (!oidc.session?.accountId) return undefined;
      const grant = new oidc.provider.Grant({ clientId, accountId: oidc.session.accountId });
      grant.addOIDCScope([...(oidc.requestParamScopes ?? [])].join(' '));
      grant.addOIDCClaims([...(oidc.requestParamClaims ?? [])]);
      await grant.save();
      return grant;
    },
    renderError: (ctx: KoaContextLike, out: { error?: string; error_description?: string }) => {
      ctx.type = 'html';
      ctx.body = messagePage('Erreur du fournisseur d’identité', `${out.error ?? 'erreur'} : ${out.error_description ?? ''}`);
    },
  });
  provider.proxy = true;

  // What the real services require of the authorization request (../shared/OIDC.md §1–2).
  const authorizationPath = psc ? pscRoutes.authorization : fcRoutes.authorization;
  provider.use(async (ctx, next) => {
    if (ctx.path === authorizationPath) {
      const q = ctx.query;
      const acr = String(first(q.acr_values) ?? '').split(' ');
      const scope = String(first(q.scope) ?? '').split(' ');
      const problem = !acr.includes('eidas1')
        ? 'acr_values=eidas1 est obligatoire'
        : psc && !scope.includes('scope_all')
          ? 'le scope scope_all est obligatoire'
          : !psc && (String(first(q.state) ?? '').length < 32 || String(first(q.nonce) ?? '').length < 32)
            ? 'state et nonce (32 caractères au moins) sont obligatoires'
            : undefined;
      if (problem) {
        ctx.status = 400;
        ctx.type = 'html';
        ctx.body = messagePage('Requête d’authentification refusée', problem);
        return;
      }
    }
    await next();
  });
  return provider;
}

async function readForm(request: FastifyRequest): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of request.raw) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** Mounts /dev-idp/psc and /dev-idp/franceconnect on the app. */
export async function mountDevIdp(app: FastifyInstance, config: Config, options: { ecps?: EcpsAccounts } = {}): Promise<DevIdp> {
  const identities = loadDemoIdentities();
  const keys = { psc: signingKeys('psc'), franceconnect: signingKeys('franceconnect') };

  for (const name of ['psc', 'franceconnect'] as const) {
    const p = config.auth.providers[name];
    if (!p.embedded) continue;
    const ecps = name === 'psc' ? options.ecps : undefined;
    const provider = createProvider(name, p, identities, keys[name], ecps);
    const handle = provider.callback();
    const prefix = `/dev-idp/${name}`;
    const list = name === 'psc' ? identities.psc : identities.franceconnect;

    await app.register(
      async (scope) => {
        // oidc-provider reads its own bodies from the raw request: Fastify must not consume them.
        scope.removeAllContentTypeParsers();
        scope.addContentTypeParser('*', (_req, _payload, done) => done(null));
        const common = { config: { policy: 'public' as const }, helmet: false as const, schema: { hide: true } };

        const passThrough = async (request: FastifyRequest, reply: FastifyReply, path?: string) => {
          reply.hijack();
          const raw = request.raw as typeof request.raw & { originalUrl?: string };
          raw.originalUrl = raw.url;
          // Mounted under a prefix: oidc-provider derives its mount path from originalUrl vs url.
          raw.url = path ?? (raw.url!.slice(prefix.length) || '/');
          await handle(raw, reply.raw);
        };

        scope.get('/interaction/:uid', common, async (request, reply) => {
          reply.hijack();
          const details = await provider.interactionDetails(request.raw, reply.raw);
          const base = `${prefix}/interaction/${details.uid}`;
          if (details.prompt.name === 'login') {
            reply.raw.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
            reply.raw.end(loginPage(name, `${base}/login`, `${base}/abort`, list, ecps ? ecpsLoginForm(`${base}/login`) : ''));
            return;
          }
          // Consent: granted (see loadExistingGrant).
          const grant = new provider.Grant({ clientId: p.clientId, accountId: details.session!.accountId! });
          grant.addOIDCScope(String(details.params.scope ?? 'openid'));
          await provider.interactionFinished(request.raw, reply.raw, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
        });

        scope.post('/interaction/:uid/login', common, async (request, reply) => {
          const form = await readForm(request);
          const ecpsId = form.get('ecps');
          if (ecps && ecpsId !== null) {
            reply.hijack();
            const found = await ecps.authenticate(ecpsId.trim());
            if (!found.ok) {
              reply.raw.writeHead(403, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
              reply.raw.end(messagePage(found.title, found.message));
              return;
            }
            await provider.interactionFinished(
              request.raw,
              reply.raw,
              { login: { accountId: pscSubject(found.profile.idnps), acr: 'eidas1' } },
              { mergeWithLastSubmission: false },
            );
            return;
          }
          const identity = list.find((i) => i.key === form.get('identity'));
          reply.hijack();
          if (!identity) {
            reply.raw.writeHead(400, { 'content-type': 'text/html; charset=utf-8' });
            reply.raw.end(messagePage('Identité inconnue', 'Choisissez une des identités de démonstration.'));
            return;
          }
          const details = await provider.interactionDetails(request.raw, reply.raw);
          const accountId = 'idnps' in identity ? pscSubject(identity.idnps) : identity.sub;
          // FranceConnect sends `amr` only when the client asks for it with the claims parameter.
          const claimsParam = typeof details.params.claims === 'string' ? details.params.claims : '';
          const amr = name === 'franceconnect' && claimsParam.includes('"amr"') ? { amr: ['pwd'] } : {};
          await provider.interactionFinished(
            request.raw,
            reply.raw,
            { login: { accountId, acr: 'eidas1', ...amr } },
            { mergeWithLastSubmission: false },
          );
        });

        scope.post('/interaction/:uid/abort', common, async (request, reply) => {
          await readForm(request);
          reply.hijack();
          await provider.interactionFinished(
            request.raw,
            reply.raw,
            { error: 'access_denied', error_description: 'Connexion annulée par l’utilisateur' },
            { mergeWithLastSubmission: false },
          );
        });

        if (name === 'psc') {
          // PSC publishes its metadata under a non-standard name.
          scope.get('/.well-known/wallet-openid-configuration', common, (request, reply) =>
            passThrough(request, reply, '/.well-known/openid-configuration'),
          );
        }
        scope.route({ method: ['GET', 'POST', 'OPTIONS'], url: '/*', ...common, handler: (request, reply) => passThrough(request, reply) });
      },
      { prefix },
    );
  }
  return { keys, identities };
}
