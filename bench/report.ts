/** The Markdown of one `npm run bench` run: the budget table first, then the detail behind it. */
import type { ClientResult } from './client.js';
import type { ColdResult } from './cold.js';
import type { CountyResult } from './county.js';
import type { LoadPoint } from './loads.js';
import type { RoundTrip } from './roundtrips.js';
import { budgetTable, clientRows, countyRows, serverRows, type BudgetRow } from './budgets.js';
import { round } from './lib.js';

export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  platform: string;
  loadAtStart: number[];
  loadAtEnd: number[];
  postgres: string;
}

export interface BenchResults {
  startedAt: string;
  scale: 'full' | 'quick';
  machine: Machine;
  seconds: number;
  roundTrips: RoundTrip[];
  loads: LoadPoint[];
  cold?: ColdResult;
  county?: CountyResult;
  client?: ClientResult;
  totalSeconds: number;
}

export function allBudgetRows(r: BenchResults): BudgetRow[] {
  return [...serverRows(r.loads), ...(r.county ? countyRows(r.county) : []), ...(r.client ? clientRows(r.client) : [])];
}

export function machineLine(r: BenchResults): string {
  const m = r.machine;
  return `${m.cpus} × ${m.cpuModel}, ${m.memoryGb} GB, Node ${m.node}, PostgreSQL ${m.postgres || '—'}; load average ${m.loadAtStart.join(' / ')} at start, ${m.loadAtEnd.join(' / ')} at end; ${r.seconds} s per load point; scale ${r.scale}; whole run ${r.totalSeconds} s.`;
}

export function renderMarkdown(r: BenchResults): string {
  const kb = (b: number) => `${round(b / 1024)} KB`;
  const lines: string[] = [`# 性能基准 ${r.startedAt}`, '', `Machine: ${machineLine(r)}`, ''];
  lines.push(...budgetTable(allBudgetRows(r)));

  if (r.loads.length) {
    lines.push('## Throughput (autocannon in its own process, loopback)', '');
    lines.push('| target | driver | route | conn | req/s | p50 ms | p99 ms | server CPU µs/req | answers | × (a) | × (b) |', '| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |');
    const find = (target: string, route: string | null, c: number) => r.loads.find((l) => l.target === target && l.connections === c && (route === null || l.route === route));
    for (const l of r.loads) {
      const answers = Object.entries(l.statusCodes).map(([c, n]) => `${c}×${n}`).join(' ') + (l.errors ? ` err×${l.errors}` : '') + (l.timeouts ? ` timeout×${l.timeouts}` : '');
      const a = l.requestsPerSecond / (find('ceiling', null, l.connections)?.requestsPerSecond ?? NaN);
      const raw = l.target === 'app' ? find('raw-pg', l.route, l.connections) : undefined;
      const b = raw ? (l.requestsPerSecond / raw.requestsPerSecond).toFixed(2) : '';
      lines.push(`| ${l.target} | ${l.driver} | ${l.route} | ${l.connections} | ${Math.round(l.requestsPerSecond)} | ${l.p50} | ${l.p99} | ${l.serverCpuUsPerRequest ?? ''} | ${answers} | ${a.toFixed(3)} | ${b} |`);
    }
    lines.push(
      '',
      '(a) = bare Node server with a fixed JSON body; (b) = raw node-postgres replaying the statements the app sent for the same route (captured in this run, bench/replay.ts), no auth, validation or shaping. Server CPU = the server process’s user + system time during the point ÷ its answers (/proc; the Neon proxy and PostgreSQL are other processes), which the machine’s other load hardly moves, unlike req/s. Check-ins are 1 minute each, spread over the seeded members, each with a fresh Idempotency-Key: 201 = credited, 422 = refused by the 60-minute daily self-report cap.',
      '',
    );
  }

  if (r.roundTrips.length) {
    lines.push('## Round trips (SQL statements per request, auth included)', '', '| route | as | status | statements |', '| --- | --- | ---: | ---: |');
    for (const t of r.roundTrips) lines.push(`| ${t.route} | ${t.role} | ${t.status} | ${t.statements} |`);
    lines.push('');
  }

  if (r.cold) {
    lines.push('## Cold start (fresh process → first answered request of api/index.ts, median)', '', '| driver | runner | ms |', '| --- | --- | ---: |');
    for (const c of r.cold.coldStart) lines.push(`| ${c.driver} | ${c.runner} | ${c.firstAnswerMs} |`);
    const b = r.cold.bundle;
    lines.push('', `Bundled function (esbuild, minified, loaded at start): ${kb(b.bytes)} (${kb(b.gzipBytes)} gzip), ${b.entryInputs} modules. exceljs: ${b.excelInEntry ? '**in the start-up bundle**' : 'lazy (own chunk, loaded by the export/import handlers only)'}. Largest packages at start: ${b.heavyInEntry.join(', ')}.`, '');
  }

  if (r.county) {
    const c = r.county;
    lines.push(
      `## County scale (${c.members.toLocaleString()} members, ${c.townships} townships, ${c.branches} branches, ${c.studyDayRows.toLocaleString()} member-days, ${c.meetings.toLocaleString()} meetings, ${c.transfers} transfers, ${c.commendations} commendations; generated in ${c.setupSeconds} s)`,
      '',
      `Through the real HTTP app on node-postgres (loopback), one township of ${c.townshipMembers} members:`,
      '',
      '| read | path | as | median ms | p95 ms | statements |',
      '| --- | --- | --- | ---: | ---: | ---: |',
    );
    for (const t of c.timings) lines.push(`| ${t.label} | \`${t.path}\` | ${t.as} | ${t.medianMs} | ${t.p95Ms} | ${t.statements} |`);
    lines.push('', '| statement (EXPLAIN ANALYZE, server side) | execution ms | planning ms |', '| --- | ---: | ---: |');
    for (const p of c.plans) lines.push(`| ${p.label} | ${p.executionMs} | ${p.planningMs} |`);
    for (const p of c.plans) lines.push('', `<details><summary>EXPLAIN (ANALYZE, BUFFERS): ${p.label}</summary>`, '', '```', p.plan, '```', '</details>');
    lines.push('');
  }
  if (r.client) {
    const w = r.client.weapp;
    lines.push('## Client detail', '', `weapp total ${kb(w.total)}; first screens: ${r.client.firstScreens.map((s) => `${s.screen} ${kb(s.transferredBytes)} in ${s.responses} responses, first content ${s.firstContentMs.join(' / ')} ms`).join('; ')}.`, '');
  }
  return lines.join('\n');
}
