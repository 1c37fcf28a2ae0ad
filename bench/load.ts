/**
 * Runs one autocannon load in its own process (so the load generator does not
 * share an event loop with the server) and prints the result as JSON.
 * Input: a JSON spec as argv[2].
 */
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';
import type { LoadSpec } from './lib.js';

const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
let turn = 0;
const perRequest = spec.uniqueIdempotencyKey || spec.headerSets?.length;
const options: autocannon.Options = {
  url: spec.url,
  method: spec.method,
  headers: spec.headers,
  body: spec.body,
  connections: spec.connections,
  // With an amount, autocannon stops after that many requests and ignores the duration.
  ...(spec.amount ? { amount: spec.amount } : { duration: spec.durationSeconds }),
  requests: perRequest
    ? [
        {
          method: spec.method,
          setupRequest: (req) => {
            const extra = spec.headerSets?.length ? spec.headerSets[turn++ % spec.headerSets.length] : undefined;
            const key = spec.uniqueIdempotencyKey ? { 'idempotency-key': `bench-${randomUUID()}` } : {};
            return { ...req, headers: { ...req.headers, ...extra, ...key } };
          },
        },
      ]
    : undefined,
};
// autocannon notices a finished `amount` only at its next one-second tick, so its own duration is rounded
// up: the load's time is taken from its start to its last answer instead.
let startedAt = 0;
let lastAnswerAt = 0;
const result = await new Promise<autocannon.Result>((resolve, reject) => {
  const instance = autocannon(options, (err, r) => (err ? reject(err as Error) : resolve(r)));
  instance.on('start', () => (startedAt = performance.now()));
  instance.on('response', () => (lastAnswerAt = performance.now()));
});
const seconds = startedAt && lastAnswerAt > startedAt ? (lastAnswerAt - startedAt) / 1000 : result.duration;
const statusCodes = Object.fromEntries(
  Object.entries((result as unknown as { statusCodeStats?: Record<string, { count: number }> }).statusCodeStats ?? {}).map(([code, s]) => [code, s.count]),
);
process.stdout.write(
  JSON.stringify({
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    seconds,
  }),
);
