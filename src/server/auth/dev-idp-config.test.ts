import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.ts';
import { devIdpWarning } from './plugin.ts';

/** Issue 4, acceptance 5: demo identities never sign anyone in on production by accident. */
describe('embedded identity provider and NODE_ENV', () => {
  it('is on by default outside production, pointing both providers at /dev-idp', () => {
    const c = loadConfig({ NODE_ENV: 'development', PUBLIC_URL: 'http://localhost:3000' });
    expect(c.auth.devIdp).toBe(true);
    expect(c.auth.providers.psc).toMatchObject({ embedded: true, issuer: 'http://localhost:3000/dev-idp/psc' });
    expect(c.auth.providers.franceconnect.issuer).toBe('http://localhost:3000/dev-idp/franceconnect');
    expect(devIdpWarning(c)).toBeUndefined();
  });

  it('is off in production, and asking for it there is refused', () => {
    const c = loadConfig({ NODE_ENV: 'production' });
    expect(c.auth.devIdp).toBe(false);
    expect(c.auth.providers.psc.issuer).toBeUndefined();
    expect(() => loadConfig({ NODE_ENV: 'production', DEV_IDP: 'true' })).toThrow(ConfigError);
    expect(() => loadConfig({ NODE_ENV: 'production', DEV_IDP: 'true' })).toThrow(/DEV_IDP_FORCE/);
  });

  it('runs in production only with DEV_IDP_FORCE=true, and then says so loudly', () => {
    const c = loadConfig({ NODE_ENV: 'production', DEV_IDP_FORCE: 'true' });
    expect(c.auth.devIdp).toBe(true);
    expect(c.auth.devIdpForced).toBe(true);
    expect(devIdpWarning(c)).toMatch(/WARNING.*EMBEDDED DEMO IDENTITY PROVIDERS.*production/);
  });

  it('real issuers replace the embedded ones and need their client credentials', () => {
    const env = { NODE_ENV: 'production', PUBLIC_URL: 'https://rpps.example.fr' };
    expect(() => loadConfig({ ...env, PSC_ISSUER: 'https://auth.bas.psc.esante.gouv.fr/auth/realms/esante-wallet' })).toThrow(/PSC_CLIENT_ID/);
    const c = loadConfig({
      ...env,
      PSC_ISSUER: 'https://auth.bas.psc.esante.gouv.fr/auth/realms/esante-wallet',
      PSC_CLIENT_ID: 'rpps-plus',
      PSC_CLIENT_SECRET: 's3cret',
    });
    expect(c.auth.providers.psc).toMatchObject({
      embedded: false,
      redirectUri: 'https://rpps.example.fr/auth/psc/callback',
      scopes: 'openid scope_all',
      acrValues: 'eidas1',
    });
    expect(c.auth.secureCookies).toBe(true);
  });
});
