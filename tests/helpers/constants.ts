/** The instant the test suites' demo township is seeded at and the app's clock starts from. */
export const TEST_NOW = '2026-06-15T10:00:00+08:00';

/** The machine's PostgreSQL (trust auth), used through the Neon driver and node-postgres. */
export const PG_ADMIN_URL = process.env.TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export function databaseUrl(name: string): string {
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return url.toString();
}
