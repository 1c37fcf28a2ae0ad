/**
 * Every budget of issues 17 and 23 beside its measured value, in one table: server ratios
 * (app ÷ raw node-postgres replaying the same SQL, same run), county-scale latencies, client
 * budgets. A budget is met or not; a figure without a budget is shown with "—".
 */
import type { ClientResult } from './client.js';
import type { CountyResult } from './county.js';
import type { LoadPoint } from './loads.js';
import { HOT_ROUTES } from './replay.js';

export interface BudgetRow {
  group: string;
  budget: string;
  limit: string;
  measured: string;
  /** null: shown, not budgeted. */
  met: boolean | null;
}

/** App ÷ raw at these connections (issue 23.3). */
export const RATIO_CONNECTIONS = [10, 100];
export const RATIO_BUDGET: Record<string, number> = { 'node-postgres': 0.8, neon: 0.6 };
/** The check-in and the member's reads carry the budget; the officers' reads are shown against their own baseline. */
const BUDGETED = new Set(['check-in', 'study-me', 'birthdays-me']);
/** "Tens of milliseconds on PostgreSQL" (issue 17): each county-scale read's p95 under 100 ms. */
export const COUNTY_P95_MS = 100;
const COUNTY_BUDGETED = new Set(['township-dashboard', 'county-overview', 'county-dashboard', 'county-drilldown', 'orglife-calendar', 'orglife-township']);

export function serverRows(loads: LoadPoint[]): BudgetRow[] {
  const rows: BudgetRow[] = [];
  const rps = (target: string, driver: string, route: string, c: number) =>
    loads.find((l) => l.target === target && l.driver === driver && l.route === route && l.connections === c);
  for (const driver of ['node-postgres', 'neon']) {
    for (const r of HOT_ROUTES) {
      for (const c of RATIO_CONNECTIONS) {
        const app = rps('app', driver, r.label, c);
        const raw = rps('raw-pg', 'node-postgres', r.label, c);
        if (!app || !raw) continue;
        const ratio = app.requestsPerSecond / raw.requestsPerSecond;
        const budget = BUDGETED.has(r.name) ? RATIO_BUDGET[driver]! : null;
        const failed = Object.entries(app.statusCodes).some(([code, n]) => Number(code) >= 500 && n > 0) || app.errors > 0;
        rows.push({
          group: 'server',
          budget: `${r.label}, app on ${driver} ÷ raw node-postgres, ${c} connections`,
          limit: budget === null ? '—' : `≥ ${budget}`,
          measured: `${ratio.toFixed(2)} (${Math.round(app.requestsPerSecond)} / ${Math.round(raw.requestsPerSecond)} req/s${failed ? ', with errors' : ''})`,
          met: budget === null ? null : ratio >= budget && !failed,
        });
      }
    }
  }
  return rows;
}

export function countyRows(county: CountyResult): BudgetRow[] {
  return county.timings.map((t) => ({
    group: 'county',
    budget: `${t.label} at ${county.townships} townships, ${county.members.toLocaleString()} members: p95 over HTTP (${t.statements} statement${t.statements === 1 ? '' : 's'})`,
    limit: COUNTY_BUDGETED.has(t.key) ? `< ${COUNTY_P95_MS} ms` : '—',
    measured: `${t.p95Ms} ms (median ${t.medianMs} ms)`,
    met: COUNTY_BUDGETED.has(t.key) ? t.p95Ms < COUNTY_P95_MS : null,
  }));
}

export function clientRows(client: ClientResult): BudgetRow[] {
  return client.rows.map((r) => ({ group: 'client', ...r }));
}

export function budgetTable(rows: BudgetRow[], heading = '## Budgets (issues 17 and 23): one run'): string[] {
  const met = rows.filter((r) => r.met === true).length;
  const budgeted = rows.filter((r) => r.met !== null).length;
  const lines = [heading, '', `${met} of ${budgeted} budgets met.`, '', '| | budget | limit | measured | met |', '| --- | --- | --- | --- | --- |'];
  for (const r of rows) lines.push(`| ${r.group} | ${r.budget} | ${r.limit} | ${r.measured} | ${r.met === null ? '—' : r.met ? 'yes' : '**no**'} |`);
  lines.push('');
  return lines;
}
