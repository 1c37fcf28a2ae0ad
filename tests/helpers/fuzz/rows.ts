/** What a fuzzed answer must be, and whether a refused request changed any row (a trigger-kept counter, checked against checksums). */
import { sql } from 'drizzle-orm';
import { rowsOf } from '../../../db/client.js';
import type { Endpoint } from '../../../shared/http.js';
import type { CallResult, TestContext } from '../harness.js';
import { AUDITED_REFUSALS } from './inputs.js';
import type { Wire } from './requests.js';

/**
 * A row trigger on every table (rate_limits aside) counts committed row writes
 * per table in this test's own copy of the database. A rolled-back write rolls
 * its count back too, so the counter moves exactly when rows were changed. It is
 * stricter than comparing counts and checksums (it also sees an insert undone by
 * a delete, or an update writing equal values) and costs one small read instead
 * of hashing every table, so it can run after every refused request.
 */
export async function installChangeCounter(ctx: TestContext, tables: string[]): Promise<void> {
  await ctx.db.execute(sql.raw(`create table fuzz_row_changes (table_name text primary key, n bigint not null)`));
  await ctx.db.execute(
    sql.raw(`create function fuzz_count_change() returns trigger language plpgsql as $$
begin
  insert into fuzz_row_changes (table_name, n) values (TG_TABLE_NAME, 1)
    on conflict (table_name) do update set n = fuzz_row_changes.n + 1;
  return null;
end $$`),
  );
  for (const t of tables) {
    if (t === 'audit_log') {
      // A refusal the domain records by design (a refused registration is audited) is the one row a refusal may add.
      const recorded = AUDITED_REFUSALS.map((a) => `'${a}'`).join(', ');
      await ctx.db.execute(sql.raw(`create trigger fuzz_count_rows after insert on "${t}" for each row when (new.action not in (${recorded})) execute function fuzz_count_change()`));
      await ctx.db.execute(sql.raw(`create trigger fuzz_count_changes after update or delete on "${t}" for each row execute function fuzz_count_change()`));
      await ctx.db.execute(sql.raw(`create trigger fuzz_count_truncate after truncate on "${t}" for each statement execute function fuzz_count_change()`));
      continue;
    }
    await ctx.db.execute(sql.raw(`create trigger fuzz_count_rows after insert or update or delete on "${t}" for each row execute function fuzz_count_change()`));
    await ctx.db.execute(sql.raw(`create trigger fuzz_count_truncate after truncate on "${t}" for each statement execute function fuzz_count_change()`));
  }
}

export async function snapshot(ctx: TestContext): Promise<Map<string, string>> {
  const rows = rowsOf<{ table_name: string; n: string | number }>(await ctx.db.execute(sql.raw('select table_name, n from fuzz_row_changes')));
  return new Map(rows.map((r) => [r.table_name, String(r.n)]));
}

/** Per-table row counts and checksums: the slow, independent check the counter is compared with. */
export async function checksums(ctx: TestContext, tables: string[]): Promise<Map<string, string>> {
  const query = tables
    .map((t) => `select '${t}' as name, count(*)::text || ':' || coalesce(md5(string_agg(x::text, '|' order by x::text)), '') as sum from "${t}" x`)
    .join(' union all ');
  const rows = rowsOf<{ name: string; sum: string }>(await ctx.db.execute(sql.raw(query)));
  return new Map(rows.map((r) => [r.name, r.sum]));
}

export function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  return [...new Set([...before.keys(), ...after.keys()])].filter((t) => before.get(t) !== after.get(t));
}

// ---------------------------------------------------------------- the answer

export function checkAnswer(endpoint: Endpoint, res: CallResult, describe: () => string): string | null {
  if (res.status >= 500) return `${res.status} ${JSON.stringify(res.body)} for ${describe()}`;
  if (res.status >= 200 && res.status < 300) {
    if (!endpoint.response) return null; // a file download
    if (res.status === 204) return null;
    const parsed = endpoint.response.safeParse(res.body);
    return parsed.success ? null : `2xx body does not match the response schema (${parsed.error.issues[0]?.message}) for ${describe()}`;
  }
  if (res.status >= 400 && res.status < 500) {
    const ct = res.headers.get('content-type') ?? '';
    const body = res.body as { error?: { code?: unknown; message?: unknown } } | null;
    if (!ct.includes('application/json') || typeof body?.error?.code !== 'string' || typeof body.error.message !== 'string' || !body.error.message) {
      return `${res.status} without a JSON error body (${ct}) for ${describe()}`;
    }
    return null;
  }
  return `unexpected status ${res.status} for ${describe()}`;
}

export function summarize(wire: Wire): string {
  const body = wire.rawBody !== undefined ? (typeof wire.rawBody === 'string' ? wire.rawBody : `<${wire.rawBody.length} bytes>`) : JSON.stringify(wire.body);
  return `${wire.method} ${wire.path} ct=${wire.headers['content-type'] ?? '-'} body=${(body ?? '').slice(0, 200)}`;
}

// ---------------------------------------------------------------- the suite
