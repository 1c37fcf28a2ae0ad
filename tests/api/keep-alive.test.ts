/**
 * The self-hosted server on a real keep-alive socket: when it answers before
 * reading a large body (401, unknown route, a route that takes no body), the
 * next request on the same connection is answered at once, or the answer
 * said `Connection: close` and the connection is closed.
 */
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../server/node-server.js';
import { createTestContext, type TestContext } from '../helpers/harness.js';

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** One raw socket; requests are written by hand and answers parsed as they arrive. */
class Connection {
  private buffer = Buffer.alloc(0);
  private waiters: (() => void)[] = [];
  closed = false;
  constructor(private socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }
  static open(port: number): Promise<Connection> {
    return new Promise((resolve, reject) => {
      const socket = net.connect(port, '127.0.0.1', () => resolve(new Connection(socket)));
      socket.once('error', reject);
    });
  }
  private wake() {
    for (const w of this.waiters.splice(0)) w();
  }
  write(data: string | Buffer): void {
    if (!this.socket.destroyed) this.socket.write(data);
  }
  /** The next answer (Content-Length framed, as the server sends them), or null if the connection closed first. */
  async read(timeoutMs: number): Promise<Answer | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end >= 0) {
        const [statusLine = '', ...lines] = this.buffer.subarray(0, end).toString('latin1').split('\r\n');
        const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
        const length = Number(headers['content-length'] ?? 0);
        if (this.buffer.length >= end + 4 + length) {
          const body = this.buffer.subarray(end + 4, end + 4 + length).toString('utf8');
          this.buffer = this.buffer.subarray(end + 4 + length);
          return { status: Number(statusLine.split(' ')[1]), headers, body };
        }
      }
      if (this.closed) return null;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error('no answer in time: the connection hangs');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
  close() {
    this.socket.destroy();
  }
}

const BIG = 300 * 1024;
const json = `{"pad":"${'x'.repeat(BIG)}"}`;
const request = (method: string, path: string, headers: Record<string, string>, body = '') =>
  `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('')}\r\n${body}`;
const health = request('GET', '/api/health', {});

describe('keep-alive after an answer that did not read the body', () => {
  let ctx: TestContext;
  let server: RunningServer;
  beforeAll(async () => {
    ctx = await createTestContext('pglite');
    server = await startServer({ app: ctx.app });
  });
  afterAll(async () => {
    await server?.close();
    await ctx?.close();
  });

  const declared = (method: string, path: string) =>
    request(method, path, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(json)) }, json);

  it.each([
    ['401: no token on a member route', 'POST', '/api/study/checkins', 401],
    ['404: unknown route', 'POST', '/api/no-such-route', 404],
    ['405: wrong method', 'PUT', '/api/health', 405],
    ['a route that takes no body', 'DELETE', `/api/commendations/2147483000`, 401],
  ])('%s with a 300 KB body: the second request on the connection answers promptly', async (_, method, path, status) => {
    const connection = await Connection.open(server.port);
    try {
      connection.write(declared(method, path));
      const first = await connection.read(5_000);
      expect(first?.status).toBe(status);
      expect(first?.headers.connection).not.toBe('close');
      const started = Date.now();
      connection.write(health);
      const second = await connection.read(2_000);
      expect(second?.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(JSON.parse(second?.body ?? '{}')).toMatchObject({ ok: true });
    } finally {
      connection.close();
    }
  });

  it('a body of unknown length (chunked) that is not read: the answer says Connection: close and the server closes', async () => {
    const connection = await Connection.open(server.port);
    try {
      const chunk = 'x'.repeat(64 * 1024);
      connection.write(request('POST', '/api/study/checkins', { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' }));
      for (let i = 0; i < 5; i++) connection.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`);
      const first = await connection.read(5_000);
      expect(first?.status).toBe(401);
      expect(first?.headers.connection).toBe('close');
      // Nothing more comes on this connection: it is closed, not left hanging.
      expect(await connection.read(3_000)).toBeNull();
    } finally {
      connection.close();
    }
    // A new connection works.
    const again = await Connection.open(server.port);
    again.write(health);
    expect((await again.read(2_000))?.status).toBe(200);
    again.close();
  });

  it('a declared body over the size limit: 413 with Connection: close', async () => {
    const connection = await Connection.open(server.port);
    try {
      const limit = ctx.config.bodyLimitBytes;
      connection.write(request('POST', '/api/auth/dev', { 'Content-Type': 'application/json', 'Content-Length': String(limit + 1) }));
      connection.write('x'.repeat(64 * 1024));
      const first = await connection.read(5_000);
      expect(first?.status).toBe(413);
      expect(first?.headers.connection).toBe('close');
    } finally {
      connection.close();
    }
  });
});
