import * as client from 'openid-client';
import type { OidcProviderConfig, OidcProviderName } from '../config.ts';
import type { AppContext } from '../context.ts';
import { identityFromClaims, upsertAccount } from './accounts.ts';
import { randomToken, sha256Hex } from './tokens.ts';

/** A sign-in that must not open a session; `reason` is shown (in French) by the web error page. */
export class SignInError extends Error {
  override name = 'SignInError';
  readonly reason: SignInFailure;
  override readonly cause?: unknown;
  constructor(reason: SignInFailure, cause?: unknown) {
    super(`sign-in failed: ${reason}`);
    this.reason = reason;
    this.cause = cause;
  }
}

export type SignInFailure =
  | 'provider-unavailable'
  | 'transaction-missing'
  | 'state-mismatch'
  | 'provider-error'
  | 'code-rejected'
  | 'nonce-mismatch'
  | 'invalid-signature'
  | 'token-expired'
  | 'acr-mismatch'
  | 'account-disabled'
  | 'failed';

const transactionTtlMs = 10 * 60_000;

export interface SignInResult {
  accountId: string;
  provider: OidcProviderName;
  idToken: string | null;
  identity: Record<string, unknown>;
  returnTo: string;
}

/** Only local paths: `//evil.example` or `https://…` would make us an open redirector. */
export function safeReturnTo(value: unknown): string {
  if (typeof value !== 'string' || !/^\/(?![/\\])[^\s]*$/.test(value)) return '/mon-espace';
  // A Location header carries ASCII only: anything else is percent-encoded (U+0100 → %C4%80);
  // a lone surrogate cannot be, and the path is dropped (issue 15).
  try {
    return value.replace(/[^\x21-\x7e]+/g, (s) => encodeURIComponent(s));
  } catch {
    return '/mon-espace';
  }
}

/** Maps openid-client / oauth4webapi failures to our reasons (their codes, not their wording). */
function reasonOf(err: unknown): SignInError['reason'] {
  if (err instanceof client.ResponseBodyError) return err.error === 'invalid_grant' ? 'code-rejected' : 'provider-error';
  if (err instanceof client.AuthorizationResponseError) return 'provider-error';
  const e = err as { code?: string; message?: string; cause?: { message?: string; code?: string } };
  const message = `${e.message ?? ''} ${e.cause?.message ?? ''}`;
  switch (e.cause?.code ?? e.code) {
    case 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED':
    case 'OAUTH_JWT_TIMESTAMP_CHECK':
      return 'token-expired';
    case 'OAUTH_KEY_SELECTION_FAILED':
    case 'OAUTH_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'invalid-signature';
  }
  if (/"state"/.test(message)) return 'state-mismatch';
  if (/"nonce"/.test(message)) return 'nonce-mismatch';
  if (/signature/i.test(message)) return 'invalid-signature';
  return 'failed';
}

/**
 * The relying party of Pro Santé Connect and FranceConnect (openid-client): authorization
 * code flow with PKCE, state and nonce, ID token signature and claims checked (non-repudiation
 * checks on: the signature is verified against the provider's JWKS even over TLS).
 */
export function createRelyingParty(ctx: AppContext, options: { fetchFor?: (p: OidcProviderConfig) => typeof fetch | undefined } = {}) {
  const { db, clock, config } = ctx;
  const configurations = new Map<OidcProviderName, Promise<client.Configuration>>();

  function providerConfig(name: OidcProviderName): OidcProviderConfig {
    const p = config.auth.providers[name];
    if (!p.issuer) throw new SignInError('provider-unavailable');
    return p;
  }

  async function discover(p: OidcProviderConfig): Promise<client.Configuration> {
    const server = new URL(p.discoveryUrl ?? p.issuer!);
    const insecure = server.protocol === 'http:';
    const fc = p.name === 'franceconnect';
    const fetchImpl = options.fetchFor?.(p);
    return client.discovery(
      server,
      p.clientId,
      fc
        ? { id_token_signed_response_alg: 'ES256', userinfo_signed_response_alg: 'ES256' }
        : { id_token_signed_response_alg: 'RS256' },
      // FranceConnect takes the secret in the body; PSC accepts Basic.
      fc ? client.ClientSecretPost(p.clientSecret) : client.ClientSecretBasic(p.clientSecret),
      {
        // http:// is only ever allowed for a local issuer (the embedded provider, or a test double).
        execute: insecure ? [client.allowInsecureRequests, client.enableNonRepudiationChecks] : [client.enableNonRepudiationChecks],
        ...(fetchImpl ? { [client.customFetch]: fetchImpl as unknown as client.CustomFetch } : {}),
        timeout: 10,
      },
    );
  }

  function configuration(name: OidcProviderName): Promise<client.Configuration> {
    let found = configurations.get(name);
    if (!found) {
      found = discover(providerConfig(name)).catch((err: unknown) => {
        configurations.delete(name);
        throw new SignInError('provider-unavailable', err);
      });
      configurations.set(name, found);
    }
    return found;
  }

  return {
    /** Starts a sign-in: the URL to send the browser to and the transaction cookie value. */
    async start(name: OidcProviderName, returnTo: unknown): Promise<{ url: string; transaction: string }> {
      const p = providerConfig(name);
      const cfg = await configuration(name);
      const codeVerifier = client.randomPKCECodeVerifier();
      // FranceConnect requires state and nonce of at least 32 characters: these have 43.
      const state = client.randomState();
      const nonce = client.randomNonce();
      const url = client.buildAuthorizationUrl(cfg, {
        redirect_uri: p.redirectUri,
        scope: p.scopes,
        acr_values: p.acrValues,
        state,
        nonce,
        code_challenge: await client.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
      });
      const transaction = randomToken();
      const now = clock.now();
      await db
        .insertInto('authTransaction')
        .values({
          id: sha256Hex(transaction),
          provider: name,
          state,
          nonce,
          codeVerifier,
          returnTo: safeReturnTo(returnTo),
          createdAt: now,
          expiresAt: new Date(now.getTime() + transactionTtlMs),
        })
        .execute();
      return { url: url.href, transaction };
    },

    /**
     * Completes a sign-in from the callback URL. The transaction is consumed first (deleted),
     * so the same callback can never be played twice.
     */
    async finish(name: OidcProviderName, callbackUrl: URL, transaction: string | undefined): Promise<SignInResult> {
      const p = providerConfig(name);
      if (!transaction) throw new SignInError('transaction-missing');
      const tx = await db
        .deleteFrom('authTransaction')
        .where('id', '=', sha256Hex(transaction))
        .returningAll()
        .executeTakeFirst();
      if (!tx || tx.provider !== name || new Date(tx.expiresAt) <= clock.now()) throw new SignInError('transaction-missing');
      if (callbackUrl.searchParams.get('state') !== tx.state) throw new SignInError('state-mismatch');
      if (callbackUrl.searchParams.has('error')) throw new SignInError('provider-error');

      const cfg = await configuration(name);
      let idToken: string | undefined;
      let userinfo: Record<string, unknown>;
      try {
        const tokens = await client.authorizationCodeGrant(cfg, callbackUrl, {
          pkceCodeVerifier: tx.codeVerifier,
          expectedState: tx.state,
          expectedNonce: tx.nonce,
          idTokenExpected: true,
        });
        const claims = tokens.claims()!;
        const accepted = p.acrValues.split(/\s+/);
        if (typeof claims.acr !== 'string' || !accepted.includes(claims.acr)) throw new SignInError('acr-mismatch');
        idToken = tokens.id_token;
        userinfo = { ...(await client.fetchUserInfo(cfg, tokens.access_token, claims.sub)) };
      } catch (err) {
        if (err instanceof SignInError) throw err;
        throw new SignInError(reasonOf(err), err);
      }

      const identity = identityFromClaims(name, userinfo);
      if (!identity.subject) throw new SignInError('failed');
      const account = await upsertAccount(db, identity, clock.now());
      if (account.disabled) throw new SignInError('account-disabled');
      const { sub: _sub, ...kept } = userinfo;
      return { accountId: account.id, provider: name, idToken: idToken ?? null, identity: kept, returnTo: tx.returnTo };
    },

    /** Where to send the browser after the local logout (RP-initiated logout at the provider). */
    async logoutUrl(name: OidcProviderName, idToken: string | null): Promise<string> {
      const p = config.auth.providers[name];
      try {
        const cfg = await configuration(name);
        if (!idToken || !cfg.serverMetadata().end_session_endpoint) return p.postLogoutRedirectUri;
        return client.buildEndSessionUrl(cfg, {
          id_token_hint: idToken,
          post_logout_redirect_uri: p.postLogoutRedirectUri,
          // FranceConnect requires a state (and echoes it); we do not need it back.
          state: client.randomState(),
        }).href;
      } catch {
        return p.postLogoutRedirectUri;
      }
    },
  };
}

export type RelyingParty = ReturnType<typeof createRelyingParty>;
