/**
 * The stand-in for Neon's WebSocket proxy, in its own process: in production the proxy runs on
 * Neon's side, so its framing (a WebSocket server and a TCP socket per connection) must not share
 * the app's event loop in the bench; it shares the machine, as PostgreSQL and the load do.
 * Prints `READY <port>` (bench/lib.ts startChildServer); the address for the driver is `127.0.0.1:<port>/v2`.
 */
import { startNeonProxy } from '../../tests/helpers/neon-proxy.js';

const proxy = await startNeonProxy();
console.log(`READY ${new URL(`ws://${proxy.address}`).port}`);
process.on('SIGTERM', () => void proxy.close().then(() => process.exit(0)));
