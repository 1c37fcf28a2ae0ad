/** A local HTTP server that answers `jscode2session` as WeChat does, errors included. */
import http from 'node:http';

export interface WechatStub {
  apiBase: string;
  requests: URL[];
  close(): Promise<void>;
}

/** Codes: `good-<openid>` succeeds; `used` → 40163; `invalid` → 40029; `busy` → 45011; `broken` → HTTP 500. */
export async function startWechatStub(): Promise<WechatStub> {
  const requests: URL[] = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    requests.push(url);
    const code = url.searchParams.get('js_code') ?? '';
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (url.pathname !== '/sns/jscode2session') return send(404, { errcode: -1, errmsg: 'not found' });
    if (url.searchParams.get('appid') !== 'wx-test-appid' || url.searchParams.get('secret') !== 'wx-test-secret') {
      return send(200, { errcode: 40013, errmsg: 'invalid appid' });
    }
    if (code.startsWith('good-')) {
      return send(200, { openid: `openid-${code.slice(5)}`, session_key: 'SECRET-SESSION-KEY-never-leaves', unionid: 'u1' });
    }
    if (code === 'used') return send(200, { errcode: 40163, errmsg: 'code been used' });
    if (code === 'invalid') return send(200, { errcode: 40029, errmsg: 'invalid code' });
    if (code === 'busy') return send(200, { errcode: 45011, errmsg: 'api minute-quota reach limit' });
    return send(500, 'oops');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    apiBase: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface SubscribeSend {
  touser: string;
  template_id: string;
  page: string;
  data: Record<string, { value: string }>;
}

export interface SubscribeStub {
  apiBase: string;
  /** Every subscribe message WeChat accepted, in order. */
  sent: SubscribeSend[];
  /** openids WeChat refuses (errcode 43101: not subscribed). */
  refuse: Set<string>;
  /** openids that fail once with errcode -1 (system busy), then succeed. */
  failOnce: Set<string>;
  close(): Promise<void>;
}

/** The env that points the app's subscribe sender at a stub (appid and secret the stub accepts). */
export const subscribeStubEnv = (stub: SubscribeStub) => ({ WECHAT_API_BASE: stub.apiBase, WECHAT_APPID: 'wx-test-appid', WECHAT_SECRET: 'wx-test-secret' });

/**
 * A local stand-in for WeChat's `stable_token` and `subscribeMessage.send`. Given `templates`, a message of any
 * other template is refused as WeChat refuses an unknown one (errcode 40037).
 */
export async function startSubscribeStub(options: { templates?: string[] } = {}): Promise<SubscribeStub> {
  const stub: SubscribeStub = { apiBase: '', sent: [], refuse: new Set(), failOnce: new Set(), close: async () => {} };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stub');
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      const send = (body: unknown) => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      if (req.method === 'POST' && url.pathname === '/cgi-bin/stable_token') {
        if (body.appid !== 'wx-test-appid' || body.secret !== 'wx-test-secret') return send({ errcode: 40013, errmsg: 'invalid appid' });
        return send({ access_token: 'stub-token', expires_in: 7200 });
      }
      if (req.method === 'POST' && url.pathname === '/cgi-bin/message/subscribe/send') {
        if (url.searchParams.get('access_token') !== 'stub-token') return send({ errcode: 40001, errmsg: 'invalid credential' });
        const message = body as unknown as SubscribeSend;
        if (options.templates && !options.templates.includes(message.template_id)) return send({ errcode: 40037, errmsg: 'invalid template_id' });
        if (stub.failOnce.delete(message.touser)) return send({ errcode: -1, errmsg: 'system error' });
        if (stub.refuse.has(message.touser)) return send({ errcode: 43101, errmsg: 'user refuse to accept the msg' });
        stub.sent.push(message);
        return send({ errcode: 0, errmsg: 'ok' });
      }
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  stub.apiBase = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  stub.close = () => new Promise((resolve) => server.close(() => resolve()));
  return stub;
}
