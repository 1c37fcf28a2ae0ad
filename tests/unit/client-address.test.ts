/** Client addresses: forwarding headers count only as far as configured proxies vouch for them. */
import { describe, expect, it } from 'vitest';
import { addressBucket, clientAddress, normalizeAddress, parseTrustProxy } from '../../api/_app/client-address.js';

const h = (headers: Record<string, string>) => new Headers(headers);
const node = (trust?: string) => ({ platform: 'node' as const, trustProxy: parseTrustProxy(trust) });

describe('clientAddress', () => {
  it('trusts no forwarding header by default: the socket address counts', () => {
    expect(clientAddress(h({ 'x-forwarded-for': '1.2.3.4' }), '198.51.100.9', node())).toBe('198.51.100.9');
    expect(clientAddress(h({ 'x-forwarded-for': '1.2.3.4', 'x-real-ip': '5.6.7.8' }), '::ffff:198.51.100.9', node())).toBe('198.51.100.9');
    expect(clientAddress(h({}), undefined, node())).toBe('unknown');
  });

  it('with a list of proxies: the first address from the right outside the list, so a client cannot prepend its own', () => {
    const trust = node('10.0.0.0/8, 192.0.2.1');
    expect(clientAddress(h({ 'x-forwarded-for': '203.0.113.7' }), '10.1.2.3', trust)).toBe('203.0.113.7');
    expect(clientAddress(h({ 'x-forwarded-for': 'spoofed, 1.1.1.1, 203.0.113.7, 192.0.2.1' }), '10.1.2.3', trust)).toBe('203.0.113.7');
    // Not from a listed proxy: the header is ignored.
    expect(clientAddress(h({ 'x-forwarded-for': '203.0.113.7' }), '198.51.100.9', trust)).toBe('198.51.100.9');
    // Garbage written to the left of the trusted hops does not become a bucket of its own.
    expect(clientAddress(h({ 'x-forwarded-for': 'not-an-ip, 10.9.9.9' }), '10.1.2.3', trust)).toBe('10.9.9.9');
    expect(clientAddress(h({ 'x-forwarded-for': '[2001:db8::1]:4711' }), '127.0.0.1', node('loopback'))).toBe('2001:db8::1');
  });

  it('with a hop count: that many entries from the right', () => {
    expect(clientAddress(h({ 'x-forwarded-for': 'spoofed, 203.0.113.7' }), '10.1.2.3', node('1'))).toBe('203.0.113.7');
    expect(clientAddress(h({ 'x-forwarded-for': 'spoofed, 203.0.113.7, 10.0.0.5' }), '10.1.2.3', node('2'))).toBe('203.0.113.7');
    expect(clientAddress(h({}), '10.1.2.3', node('1'))).toBe('10.1.2.3');
  });

  it("on Vercel: the platform's own header (it overwrites X-Forwarded-For)", () => {
    const vercel = { platform: 'vercel' as const, trustProxy: parseTrustProxy(undefined) };
    expect(clientAddress(h({ 'x-vercel-forwarded-for': '203.0.113.7', 'x-forwarded-for': '1.2.3.4' }), undefined, vercel)).toBe('203.0.113.7');
    expect(clientAddress(h({ 'x-real-ip': '203.0.113.8' }), undefined, vercel)).toBe('203.0.113.8');
    expect(clientAddress(h({}), undefined, vercel)).toBe('unknown');
  });

  it('refuses a TRUST_PROXY it cannot read', () => {
    expect(() => parseTrustProxy('10.0.0.0/33')).toThrow();
    expect(() => parseTrustProxy('proxy.example.cn')).toThrow();
    expect(parseTrustProxy('false').kind).toBe('none');
  });
});

describe('addressBucket', () => {
  it('counts IPv6 by its /64 (one subscriber holds a whole /64), IPv4 by address', () => {
    expect(addressBucket('2001:db8:1:2::1')).toBe(addressBucket('2001:db8:1:2:ffff:1:2:3'));
    expect(addressBucket('2001:db8:1:2::1')).not.toBe(addressBucket('2001:db8:1:3::1'));
    expect(addressBucket('203.0.113.7')).toBe('203.0.113.7');
    expect(normalizeAddress('::FFFF:203.0.113.7')).toBe('203.0.113.7');
  });
});
