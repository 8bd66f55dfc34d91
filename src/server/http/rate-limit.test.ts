import { normalizeIP } from '@fastify/rate-limit';
import { describe, expect, it } from 'vitest';
import { clientAddress } from './rate-limit.ts';

describe('clientAddress (the rate limit key of an anonymous client)', () => {
  it('counts an IPv4 address as is, as normalizeIP does', () => {
    for (const ip of ['127.0.0.1', '10.0.0.255', '203.0.113.7']) expect(clientAddress(ip)).toBe(normalizeIP(ip));
  });

  it('groups IPv6 addresses by /64 and counts a mapped IPv4 address as its IPv4 address', () => {
    expect(clientAddress('2001:db8:1:2:aaaa::1')).toBe(clientAddress('2001:DB8:1:2:bbbb::9'));
    expect(clientAddress('2001:db8:1:2::1')).not.toBe(clientAddress('2001:db8:1:3::1'));
    expect(clientAddress('::ffff:203.0.113.7')).toBe('203.0.113.7');
    for (const ip of ['::1', '2001:db8:1:2:aaaa::1', '::ffff:203.0.113.7']) expect(clientAddress(ip)).toBe(normalizeIP(ip));
  });
});
