/**
 * The Neon serverless driver speaks the Postgres wire protocol over a WebSocket:
 * it opens `ws://<proxy>?address=host:port`, and every binary message is a raw
 * chunk of the protocol. Relaying them to a TCP socket lets the production
 * driver run against the machine's own PostgreSQL.
 */
import net from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { PG_ADMIN_URL } from './constants.js';

const DEFAULT_TARGET = `${new URL(PG_ADMIN_URL).hostname}:${new URL(PG_ADMIN_URL).port || 5432}`;

export interface NeonProxy {
  /** `host:port` for `neonConfig.wsProxy`. */
  address: string;
  /** Drops every open connection (fault tests), keeping the proxy listening. */
  cutAll(): void;
  close(): Promise<void>;
}

export async function startNeonProxy(): Promise<NeonProxy> {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  const pairs = new Set<{ ws: WebSocket; socket: net.Socket }>();
  server.on('connection', (ws, req) => {
    // db/client.ts gives the driver a fixed proxy address (no `?address=`): relay to the test server (TEST_PG_URL).
    const target = new URL(req.url ?? '/', 'http://proxy').searchParams.get('address') ?? DEFAULT_TARGET;
    const [host, port] = target.split(':');
    const socket = net.connect({ host: host || '127.0.0.1', port: Number(port) || 5432 });
    const pair = { ws, socket };
    pairs.add(pair);
    const pending: Buffer[] = [];
    let connected = false;
    socket.on('connect', () => {
      connected = true;
      for (const chunk of pending.splice(0)) socket.write(chunk);
    });
    ws.on('message', (data: Buffer) => (connected ? socket.write(data) : pending.push(data)));
    socket.on('data', (chunk) => ws.readyState === ws.OPEN && ws.send(chunk));
    const closeBoth = () => {
      pairs.delete(pair);
      socket.destroy();
      if (ws.readyState === ws.OPEN || ws.readyState === ws.CONNECTING) ws.terminate();
    };
    socket.on('close', closeBoth);
    socket.on('error', closeBoth);
    ws.on('close', closeBoth);
    ws.on('error', closeBoth);
  });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    address: `127.0.0.1:${port}/v2`,
    cutAll() {
      for (const { ws, socket } of pairs) {
        socket.destroy();
        ws.terminate();
      }
      pairs.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const { ws, socket } of pairs) {
          socket.destroy();
          ws.terminate();
        }
        server.close(() => resolve());
      }),
  };
}
