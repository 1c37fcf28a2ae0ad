/**
 * Security headers of the static H5 files. The local server sets them
 * (server/node-server.ts) and vercel.json `headers` sets the same on Vercel
 * (tests/api/vercel-entry.test.ts compares the two).
 */
export const STATIC_HEADERS = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy':
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'",
} as const;

/**
 * Build outputs named `name.[contenthash:8].ext` (miniapp/config/index.ts):
 * a new build gives changed files new names, so a browser may keep these a
 * year without asking. The pattern is the same on Vercel (vercel.json).
 */
export const HASHED_ASSET = /\.[0-9a-f]{8}\.(js|css|png|jpe?g|gif|svg|webp|woff2?|ttf|eot)$/;
export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html names the current build's hashed files: the browser asks again on every visit (a 304 when unchanged). */
export const REVALIDATE = 'no-cache';
/** Anything else the build copies as is (no hash in its name): kept a short while. */
export const SHORT_CACHE = 'public, max-age=600';

export function cacheControlFor(relativePath: string): string {
  const name = relativePath.split(/[\\/]/).pop() ?? '';
  if (name.endsWith('.html')) return REVALIDATE;
  return HASHED_ASSET.test(name) ? IMMUTABLE : SHORT_CACHE;
}
