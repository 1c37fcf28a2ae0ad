/**
 * (b) The floor a framework can approach: a bare Node HTTP server with a raw
 * node-postgres Pool running the SAME SQL as the app, and nothing else: no JWT,
 * no zod, no router, no drizzle, no shaping of the rows.
 *
 * `GET|POST /replay/<route>` replays the statements the app itself sent for that
 * route (text and parameters, captured in-process by bench/replay.ts in the same
 * run, so they cannot drift from the app), one set per caller; `x-set` picks the
 * caller. A set of several statements runs them together (the fastest a driver
 * could answer them). For a write (the check-in), the captured Idempotency-Key
 * and day are swapped per request for the request's `idempotency-key` and
 * `x-day` headers (the bench moves the app's clock a day per check-in run and
 * this server follows), so every request is a new submission as in the app.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import pg from 'pg';
import type { ReplayFile } from '../replay.js';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
pool.on('error', () => {});
const replays = JSON.parse(readFileSync(process.env.BENCH_REPLAY ?? '', 'utf8')) as ReplayFile;

function send(res: http.ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    void (async () => {
      const route = req.url?.startsWith('/replay/') ? replays[req.url.slice('/replay/'.length)] : undefined;
      if (!route?.sets.length) return send(res, 404, { error: 'not found' });
      if (chunks.length) JSON.parse(Buffer.concat(chunks).toString()); // a body is read and parsed, as the app does
      const calls = route.sets[Number(req.headers['x-set'] ?? 0) % route.sets.length]!;
      const key = req.headers['idempotency-key'];
      const day = req.headers['x-day'];
      const swap = (v: unknown) => (route.keyParam !== undefined && v === route.keyParam ? key : route.dayParam !== undefined && v === route.dayParam && day ? day : v);
      const results = await Promise.all(calls.map((c) => pool.query(c.query, route.keyParam === undefined ? c.params : c.params.map(swap))));
      return send(res, route.status, results.length === 1 ? results[0]!.rows[0] ?? null : results.map((r) => r.rows));
    })().catch((err: Error) => send(res, 500, { error: err.message }));
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(`READY ${typeof address === 'object' && address ? address.port : 0}`);
});
process.on('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
