/**
 * `npm run cron:birthdays`: runs the daily political-birthday reminder job by
 * hand, exactly as Vercel Cron does (same route, same secret).
 *
 * - With `CRON_BASE_URL` (e.g. http://127.0.0.1:3000, or the deployed domain)
 *   it calls the running server over HTTP; use this while `npm run dev` holds
 *   the embedded database.
 * - Otherwise it builds the app in-process against DATABASE_URL (or the
 *   embedded database in .data/pglite) and calls the route directly.
 */
import { buildApp } from '../api/_compose.js';
import { loadConfig } from '../api/_app/config.js';

const PATH = '/api/cron/birthday-reminders';
const base = process.env.CRON_BASE_URL;
// Over HTTP only the secret is needed; in-process the whole configuration (production unless APP_ENV says otherwise).
const config = base && process.env.CRON_SECRET ? undefined : loadConfig();
const secret = process.env.CRON_SECRET ?? config?.cronSecret;
if (!secret) {
  console.error('缺少 CRON_SECRET（定时任务凭证）');
  process.exit(1);
}
const headers = { Authorization: `Bearer ${secret}` };

let response: Response;
if (base) {
  response = await fetch(new URL(PATH, base), { method: 'POST', headers });
} else {
  const app = await buildApp({ config });
  try {
    response = await app.fetch(new Request(`http://localhost${PATH}`, { method: 'POST', headers }));
  } finally {
    await app.deps.database.close();
  }
}
const body: unknown = await response.json().catch(() => null);
if (!response.ok) {
  console.error(`政治生日提醒任务失败（HTTP ${response.status}）：`, JSON.stringify(body));
  process.exit(1);
}
const run = body as { today: string; queued: number; attempted: number; sent: number; failed: number; sender: string };
console.log(
  `${run.today} 政治生日提醒：新排队 ${run.queued} 条，本次发送 ${run.attempted} 条，成功 ${run.sent} 条，失败 ${run.failed} 条` +
    (run.sender === 'log' ? '（未配置微信，仅记录日志）' : ''),
);
