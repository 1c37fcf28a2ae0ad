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
