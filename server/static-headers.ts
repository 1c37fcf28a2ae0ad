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
