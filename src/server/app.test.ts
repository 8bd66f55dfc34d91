import { describe, expect, it } from 'vitest';
import { loggedUrl } from './app.ts';

describe('request logs', () => {
  it('never hold the OAuth code and state of a sign-in callback (issue 15)', () => {
    expect(loggedUrl('/auth/psc/callback?code=abc&state=def')).toBe('/auth/psc/callback?[redacted]');
    expect(loggedUrl('/auth/franceconnect/callback/?code=abc')).toBe('/auth/franceconnect/callback/?[redacted]');
    expect(loggedUrl('/auth/psc/login?retour=/mon-espace')).toBe('/auth/psc/login?retour=/mon-espace');
    expect(loggedUrl('/fhir/Practitioner?name=x')).toBe('/fhir/Practitioner?name=x');
  });
});
