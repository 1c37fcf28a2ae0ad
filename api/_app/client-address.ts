/**
 * The client's address, for per-address login limits. Forwarding headers are
 * written by whoever sent the request, so they are believed only as far as
 * the configured proxies (TRUST_PROXY) vouch for them; otherwise the socket's
 * address counts. On Vercel the platform sets its own header and overwrites
 * X-Forwarded-For, so those are used there.
 */
import { BlockList, isIP } from 'node:net';
import type { HeaderReader } from './request.js';

export type TrustProxy =
  | { kind: 'none' }
  /** That many proxies stand in front of the server: the client is that many entries from the right. */
  | { kind: 'hops'; hops: number }
  /** Proxies at these addresses are believed; the first address from the right outside them is the client. */
  | { kind: 'list'; list: BlockList; description: string };

const NAMED: Record<string, string[]> = {
  loopback: ['127.0.0.0/8', '::1/128'],
  private: ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7'],
};

/** `TRUST_PROXY`: unset (trust none), a hop count (`1`), or addresses/CIDRs and `loopback`/`private`, comma-separated. */
export function parseTrustProxy(value: string | undefined): TrustProxy {
  const text = (value ?? '').trim();
  if (text === '' || text === 'false' || text === '0') return { kind: 'none' };
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops > 10) throw new Error('a hop count of at most 10');
    return { kind: 'hops', hops };
  }
  const list = new BlockList();
  const entries = text.split(',').map((s) => s.trim()).filter(Boolean);
  for (const entry of entries.flatMap((e) => NAMED[e] ?? [e])) {
    const [address = '', prefixText] = entry.split('/');
    const family = isIP(address);
    if (!family) throw new Error(`"${entry}" is not an address, a CIDR range, a hop count, loopback or private`);
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (prefixText === undefined) {
      list.addAddress(address, type);
      continue;
    }
    const prefix = Number(prefixText);
    if (!/^\d+$/.test(prefixText) || prefix > (family === 4 ? 32 : 128)) throw new Error(`"${entry}" has an invalid prefix length`);
    list.addSubnet(address, prefix, type);
  }
  return { kind: 'list', list, description: entries.join(',') };
}

/** A plain IP address (IPv4-mapped IPv6 as IPv4), or null if it is none. */
export function normalizeAddress(raw: string | null | undefined): string | null {
  if (!raw) return null;
  let text = raw.trim();
  // `[::1]:1234` and `1.2.3.4:5678` (some proxies add the port).
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text);
  if (bracketed) text = bracketed[1] ?? '';
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(text)) text = text.slice(0, text.lastIndexOf(':'));
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text);
  if (mapped) text = mapped[1] ?? '';
  return isIP(text) ? text.toLowerCase() : null;
}

function isTrusted(list: BlockList, address: string): boolean {
  return list.check(address, isIP(address) === 4 ? 'ipv4' : 'ipv6');
}

function firstEntry(header: string | null): string | null {
  return normalizeAddress(header?.split(',')[0]);
}

export interface AddressSettings {
  platform: 'vercel' | 'node';
  trustProxy: TrustProxy;
}

/** The address the request came from, or `unknown` when nothing trustworthy says. */
export function clientAddress(headers: HeaderReader, socketAddress: string | undefined, settings: AddressSettings): string {
  if (settings.platform === 'vercel') {
    return (
      firstEntry(headers.get('x-vercel-forwarded-for')) ?? firstEntry(headers.get('x-real-ip')) ?? firstEntry(headers.get('x-forwarded-for')) ?? 'unknown'
    );
  }
  const socket = normalizeAddress(socketAddress);
  if (!socket) return 'unknown';
  const trust = settings.trustProxy;
  if (trust.kind === 'none') return socket;
  const forwarded = (headers.get('x-forwarded-for') ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  const chain = [...forwarded, socket];
  if (trust.kind === 'hops') {
    const index = Math.max(0, chain.length - 1 - trust.hops);
    // Up to the client, every entry was written by a proxy we trust; a malformed one ends the walk at the last good one.
    for (let i = index; i < chain.length; i++) {
      const address = normalizeAddress(chain[i]);
      if (address) return address;
    }
    return socket;
  }
  let client = socket;
  for (let i = chain.length - 1; i >= 0; i--) {
    const address = normalizeAddress(chain[i]);
    if (!address) return client;
    client = address;
    if (!isTrusted(trust.list, address)) return address;
  }
  return client;
}

/**
 * The key a per-address limit counts under: one IPv6 subscriber usually holds
 * a whole /64, so IPv6 addresses count by their /64.
 */
export function addressBucket(address: string): string {
  if (isIP(address) !== 6) return address;
  return `${expandIpv6(address).slice(0, 4).join(':')}::/64`;
}

function expandIpv6(address: string): string[] {
  const [head = '', tail] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = tail === undefined ? 0 : 8 - left.length - right.length;
  return [...left, ...Array<string>(Math.max(0, missing)).fill('0'), ...right].map((h) => (h.includes('.') ? h : h.padStart(4, '0')));
}
