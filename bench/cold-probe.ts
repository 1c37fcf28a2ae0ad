/**
 * Cold start probe: a fresh process imports the API entry (api/index.ts, the
 * Vercel function) and sends it one request that reaches the database
 * (`GET /api/health` pings it). Prints `ANSWERED <status>`; the parent times
 * spawn → this line. Driver from the environment (DATABASE_URL, DB_DRIVER,
 * NEON_WS_PROXY, PGLITE_DATA_DIR), as on a deployment.
 */
import handler from '../api/index.js';

const res = await handler.fetch(new Request('http://cold.local/api/health'));
await res.text();
process.stdout.write(`ANSWERED ${res.status}\n`);
