/**
 * README's 性能 results, regenerated from one run: everything between the two markers is
 * replaced by the run's machine, its budget table and a few lines of detail.
 *
 *   npm run bench -- --write-readme              from the run just made
 *   npx tsx bench/readme.ts bench-results/<t>.json   from a saved run
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { allBudgetRows, machineLine, type BenchResults } from './report.js';
import { ROOT } from './lib.js';

export const BEGIN = '<!-- bench:results:begin (npm run bench -- --write-readme) -->';
export const END = '<!-- bench:results:end -->';

export function readmeSection(r: BenchResults): string {
  const rows = allBudgetRows(r);
  const met = rows.filter((x) => x.met === true).length;
  const budgeted = rows.filter((x) => x.met !== null).length;
  const lines = [
    `最近一次结果（${r.startedAt.slice(0, 10)}，${r.scale === 'quick' ? '--quick 小规模' : '完整规模'}，由 \`npm run bench -- --write-readme\` 生成）。机器：${machineLine(r)}`,
    '',
    `${budgeted} 项预算中 ${met} 项达标（“—”为只列出、不设预算的数字）。比值 = 本项目 ÷ 同一次运行中裸 node-postgres 服务器重放本项目同一路由发出的同一组 SQL（\`bench/replay.ts\` 现场截取，不会与应用脱节）。`,
    '',
    '| 类别 | 预算 | 上限 | 实测 | 达标 |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((x) => `| ${x.group} | ${x.budget} | ${x.limit} | ${x.measured} | ${x.met === null ? '—' : x.met ? '是' : '**否**'} |`),
    '',
  ];
  const checkIn = r.roundTrips.filter((t) => t.route.startsWith('POST /api/study/checkins')).map((t) => `${t.route} ${t.statements}`);
  if (checkIn.length) lines.push(`- SQL 往返（测试 \`tests/api/round-trips.test.ts\` 断言的是条数，不是时间）：${checkIn.join('，')}；读接口最多 ${Math.max(...r.roundTrips.filter((t) => t.route.startsWith('GET')).map((t) => t.statements))} 条。`);
  if (r.cold) {
    const bundled = r.cold.coldStart.filter((c) => c.runner.startsWith('node')).map((c) => `${c.driver} ${c.firstAnswerMs} ms`);
    lines.push(`- 冷启动（新进程到首个应答，esbuild 打包后用 node）：${bundled.join('，')}；启动时加载 ${Math.round(r.cold.bundle.bytes / 1024)} KB（gzip ${Math.round(r.cold.bundle.gzipBytes / 1024)} KB），exceljs ${r.cold.bundle.excelInEntry ? '在启动包中' : '在懒加载块中'}。`);
  }
  if (r.county) {
    const c = r.county;
    lines.push(`- 县级规模：${c.members.toLocaleString()} 名党员、${c.townships} 个乡镇、${c.branches} 个支部、${c.studyDayRows.toLocaleString()} 条学习日记录、${c.meetings.toLocaleString()} 次组织生活会议，经真实 HTTP 应用（node-postgres）逐个请求计时；服务端执行时间见 \`bench-results/<时间>.md\` 的 EXPLAIN。`);
  }
  lines.push('- 吞吐、延迟分位数、每条路由的往返和执行计划的明细：`bench-results/<时间>.md`（不入库）。');
  return lines.join('\n');
}

export function writeReadme(r: BenchResults, file = path.join(ROOT, 'README.md')): void {
  const text = readFileSync(file, 'utf8');
  const from = text.indexOf(BEGIN);
  const to = text.indexOf(END);
  if (from < 0 || to < from) throw new Error(`README.md: markers ${BEGIN} … ${END} not found`);
  writeFileSync(file, `${text.slice(0, from + BEGIN.length)}\n${readmeSection(r)}\n${text.slice(to)}`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const source = process.argv[2];
  if (!source) throw new Error('usage: npx tsx bench/readme.ts bench-results/<timestamp>.json');
  writeReadme(JSON.parse(readFileSync(source, 'utf8')) as BenchResults);
  console.log(`README.md: 性能 results rewritten from ${source}`);
}
