/**
 * Runs one autocannon load in its own process (so the load generator does not
 * share an event loop with the server) and prints the result as JSON.
 * Input: a JSON spec as argv[2].
 */
import autocannon from 'autocannon';
import { randomUUID } from 'node:crypto';

interface LoadSpec {
  url: string;
  method: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  connections: number;
  durationSeconds: number;
  /** Give every request a fresh Idempotency-Key (distinct submissions). */
  uniqueIdempotencyKey?: boolean;
}

const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
const result = await autocannon({
  url: spec.url,
  method: spec.method,
  headers: spec.headers,
  body: spec.body,
  connections: spec.connections,
  duration: spec.durationSeconds,
  requests: spec.uniqueIdempotencyKey
    ? [
        {
          method: spec.method,
          setupRequest: (req) => ({ ...req, headers: { ...req.headers, 'idempotency-key': `bench-${randomUUID()}` } }),
        },
      ]
    : undefined,
});
process.stdout.write(
  JSON.stringify({
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
  }),
);
