/** Round trips: SQL statements per request of every GET route and the check-in (statement counter, in-process). */
import { statementCounter, type Database } from '../db/client.js';
import { TEST_NOW } from '../tests/helpers/constants.js';
import { inProcessApp } from './in-process.js';
import { CHECKIN_BODY } from './replay.js';

export type RoundTrip = { route: string; role: string; status: number; statements: number };

export async function countRoundTrips(database: Database): Promise<RoundTrip[]> {
  const { app, call: send } = inProcessApp(database, TEST_NOW);
  const call = async (method: string, urlPath: string, token?: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await send(method, urlPath, token, body === undefined ? undefined : JSON.stringify(body), headers);
    return { status: res.status, json: (await res.json().catch(() => null)) as Record<string, unknown> | null };
  };
  const login = async (role: string) => (await call('POST', '/api/auth/dev', undefined, { role })).json?.token as string;
  const tokens: Record<string, string> = { member: await login('member'), secretary: await login('secretary'), staff: await login('staff'), county: await login('county') };
  const secretaryBranch = ((await call('GET', '/api/me', tokens.secretary)).json as { account?: { organization?: { id: number } } } | null)?.account?.organization?.id;
  const queries: Record<string, string> = {
    '/api/registrations': '?status=pending',
    '/api/commendations': '?year=2026',
    '/api/commendations/export': '?year=2026',
    '/api/commendation-campaigns': '?year=2026',
    '/api/commendation-targets': '?year=2026',
    '/api/birthdays': '?month=2026-06',
    '/api/birthdays/medal-eligible': '?year=2026',
    '/api/transfers/ledger': '?year=2026',
  };
  // As whom each read is counted: the heaviest caller allowed (staff over secretary over member), the inbox as a secretary.
  const asRole: Record<string, string> = { '/api/transfers': 'secretary', '/api/dashboard': 'staff', '/api/me': 'member', '/api/study/me': 'member', '/api/birthdays/me': 'member', '/api/registrations/mine': 'member' };
  const roleFor = (p: string, access: string | string[]) => {
    if (asRole[p]) return asRole[p]!;
    const list = Array.isArray(access) ? access : [access];
    if (list.includes('public')) return '';
    if (list.includes('staff')) return 'staff';
    if (list.includes('county')) return 'county';
    if (list.includes('officer')) return 'secretary';
    return list.includes('authenticated') && !list.includes('member') ? 'staff' : 'member';
  };
  const out: RoundTrip[] = [];
  const probe = async (label: string, role: string, method: string, urlPath: string, body?: unknown, headers?: Record<string, string>) => {
    const { result, statements } = await statementCounter.measure(() => call(method, urlPath, role ? tokens[role] : undefined, body, headers));
    out.push({ route: label, role: role || 'public', status: result.status, statements });
  };
  await probe('POST /api/study/checkins', 'member', 'POST', '/api/study/checkins', JSON.parse(CHECKIN_BODY), { 'idempotency-key': 'bench-round-trip' });
  await probe('POST /api/study/checkins (replay)', 'member', 'POST', '/api/study/checkins', JSON.parse(CHECKIN_BODY), { 'idempotency-key': 'bench-round-trip' });
  if (secretaryBranch) await probe('GET /api/study/organizations/:id/week', 'secretary', 'GET', `/api/study/organizations/${secretaryBranch}/week`);
  await probe('GET /api/dashboard (secretary)', 'secretary', 'GET', '/api/dashboard');
  await probe('GET /api/dashboard (county)', 'county', 'GET', '/api/dashboard');
  const townships = (await call('GET', '/api/county/overview', tokens.county)).json as { townships?: { organizationId: number }[] } | null;
  const township = townships?.townships?.[0]?.organizationId;
  if (township) await probe('GET /api/dashboard?townshipId (county)', 'county', 'GET', `/api/dashboard?townshipId=${township}`);
  for (const r of app.routes) {
    const { method, path: p, access } = r.endpoint as { method: string; path: string; access: string | string[] };
    if (method !== 'GET' || p.includes(':') || access === 'cron') continue;
    await probe(`GET ${p}`, roleFor(p, access), 'GET', `${p}${queries[p] ?? ''}`);
  }
  return out;
}
