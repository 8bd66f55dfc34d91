import { describe, expect, it } from 'vitest';
import config, { devServerUrl } from '../../vite.config.ts';

/** `PORT=3260 npm run dev` (README): Vite must pass /api… to the server on that port, not on 3000. */
describe('npm run dev', () => {
  it('proxies the server’s paths to the server’s PORT', () => {
    expect(devServerUrl({ PORT: '3260' })).toBe('http://localhost:3260');
    expect(devServerUrl({})).toBe('http://localhost:3000');
    const proxy = (config as { server: { proxy: Record<string, string> } }).server.proxy;
    expect(Object.keys(proxy)).toEqual(['/api', '/health', '/fhir', '/auth', '/dev-idp']);
    expect(new Set(Object.values(proxy))).toEqual(new Set([devServerUrl(process.env)]));
  });
});
