import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration from the environment', () => {
  it('has defaults that start the product with no set-up', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({ port: 3000, env: 'development', databaseUrl: undefined, demoData: true });
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(Object.isFrozen(config)).toBe(true);
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://x'],
    ['SMTP_URL', 'http://mail'],
    ['LOG_LEVEL', 'verbose'],
    ['NODE_ENV', 'staging'],
    ['PUBLIC_URL', 'not a url'],
    ['TRUST_PROXY', 'yes'],
    ['TRUST_PROXY', '10.0.0.0/40'],
    ['RATE_LIMIT_PUBLIC_PER_MINUTE', '0'],
  ])('rejects %s=%s with one line naming the variable', (name, value) => {
    let error: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as Error).message;
    expect(message).toContain(name);
    expect(message).not.toContain('\n');
  });

  it('reads TRUST_PROXY as a boolean, a hop count or a list of addresses, private networks by default', () => {
    expect(loadConfig({}).trustProxy).toBe('loopback,linklocal,uniquelocal');
    expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.0/8, ::1' }).trustProxy).toBe('10.0.0.0/8,::1');
    expect(loadConfig({ RATE_LIMIT_MACHINE_PER_MINUTE: '100' }).publicRateLimit).toEqual({ perMinute: 600, machinePerMinute: 100 });
  });

  it('turns demo data off in production unless asked', () => {
    expect(loadConfig({ NODE_ENV: 'production' }).demoData).toBe(false);
    expect(loadConfig({ NODE_ENV: 'production', DEMO_DATA: 'true' }).demoData).toBe(true);
  });

  it('fails closed: an https PUBLIC_URL or a non-loopback HOST without an explicit development setting refuses the dev conveniences (issue 15)', () => {
    const local = loadConfig({});
    expect([local.auth.devIdp, local.devOutbox, local.demoData, local.devRefusal]).toEqual([true, true, true, null]);
    for (const env of [{ PUBLIC_URL: 'https://rpps.example.fr' }, { HOST: '0.0.0.0' }, { HOST: '192.0.2.10' }]) {
      const c = loadConfig(env);
      expect([c.auth.devIdp, c.auth.providers.psc.issuer, c.devOutbox, c.demoData], JSON.stringify(env)).toEqual([false, undefined, false, false]);
      expect(c.devRefusal).toMatch(/^Refused: embedded identity providers, \/api\/dev\/outbox, demo data: (PUBLIC_URL is https|HOST is not a loopback address)/);
    }
    const explicit = loadConfig({ PUBLIC_URL: 'https://demo.example.fr', NODE_ENV: 'development' });
    expect([explicit.auth.devIdp, explicit.devOutbox, explicit.demoData, explicit.devRefusal]).toEqual([true, true, true, null]);
    const one = loadConfig({ HOST: '0.0.0.0', DEV_IDP: 'true' });
    expect([one.auth.devIdp, one.devOutbox, one.demoData]).toEqual([true, false, false]);
    expect(one.devRefusal).toMatch(/^Refused: \/api\/dev\/outbox, demo data: /);
    expect(loadConfig({ HOST: '::1' }).devRefusal).toBeNull();
    expect(loadConfig({ NODE_ENV: 'production', DEV_OUTBOX: 'true', DEMO_DATA: 'false' }).devOutbox).toBe(false);
  });
});
