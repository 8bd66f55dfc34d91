import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, secretVariables } from './config.ts';

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
    ['JOBS_ONLY', 'mail;bulk-import'],
    ['JOBS_ONLY', 'mail,'],
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

  it('reads JOBS_ONLY as a list of job kinds or families, refused on a process that runs no job', () => {
    expect(loadConfig({}).jobsOnly).toBeUndefined();
    expect(loadConfig({ JOBS_ONLY: 'bulk-import, mail.send' }).jobsOnly).toEqual(['bulk-import', 'mail.send']);
    expect(() => loadConfig({ JOBS_ONLY: 'mail', JOBS_WORKER: 'false' })).toThrow(/^Invalid configuration: JOBS_ONLY .*JOBS_WORKER=false/);
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

  describe('secrets', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rpps-secrets-'));
    const file = (name: string, content: string) => {
      const p = path.join(dir, name);
      fs.writeFileSync(p, content, { mode: 0o600 });
      return p;
    };
    const errorOf = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (err) {
        if (err instanceof ConfigError) return err.message;
        throw err;
      }
      throw new Error('no error');
    };

    it('reads every secret setting from <NAME>_FILE, without the trailing line break', () => {
      const config = loadConfig({
        DATABASE_URL_FILE: file('db', 'postgres://app:s3cret@db:5432/rpps\n'),
        DATABASE_READ_URL_FILE: file('dbr', 'postgres://app:s3cret@replica:5432/rpps'),
        SMTP_URL_FILE: file('smtp', 'smtps://mailer:pw@smtp:465\r\n'),
        METRICS_TOKEN_FILE: file('metrics', 'a-metrics-token-of-32-characters\n'),
        PSC_ISSUER: 'https://psc.example.fr',
        PSC_CLIENT_ID: 'rpps',
        PSC_CLIENT_SECRET_FILE: file('psc', 'psc-secret'),
        FC_ISSUER: 'https://fc.example.fr',
        FC_CLIENT_ID: 'rpps',
        FC_CLIENT_SECRET_FILE: file('fc', 'fc-secret\n'),
      });
      expect(config.databaseUrl).toBe('postgres://app:s3cret@db:5432/rpps');
      expect(config.databaseReadUrl).toBe('postgres://app:s3cret@replica:5432/rpps');
      expect(config.smtpUrl).toBe('smtps://mailer:pw@smtp:465');
      expect(config.metricsToken).toBe('a-metrics-token-of-32-characters');
      expect(config.auth.providers.psc.clientSecret).toBe('psc-secret');
      expect(config.auth.providers.franceconnect.clientSecret).toBe('fc-secret');
      expect([...secretVariables].sort()).toEqual(['DATABASE_READ_URL', 'DATABASE_URL', 'FC_CLIENT_SECRET', 'METRICS_TOKEN', 'PSC_CLIENT_SECRET', 'SMTP_URL']);
    });

    it('refuses a secret given twice, an unreadable or empty file, and never shows a secret value in the error', () => {
      expect(errorOf({ METRICS_TOKEN: 'x'.repeat(20), METRICS_TOKEN_FILE: file('m2', 'y'.repeat(20)) })).toContain('METRICS_TOKEN and METRICS_TOKEN_FILE are both set');
      expect(errorOf({ SMTP_URL_FILE: path.join(dir, 'missing') })).toMatch(/SMTP_URL_FILE .*cannot read the file \(ENOENT\)/);
      expect(errorOf({ SMTP_URL_FILE: file('empty', '\n') })).toContain('the file is empty');
      const bad = errorOf({ DATABASE_URL_FILE: file('bad', 'mysql://root:hunter2@db/rpps') });
      expect(bad).toContain('DATABASE_URL');
      expect(bad).not.toContain('hunter2');
      expect(errorOf({ METRICS_TOKEN: 'short-secret' })).not.toContain('short-secret');
      expect(errorOf({ DATABASE_READ_URL: 'postgres://a:b@replica/rpps' })).toContain('DATABASE_READ_URL needs DATABASE_URL');
    });
  });
});
