/**
 * WeChat subscribe messages (订阅消息), behind one small interface so the
 * reminder job does not care whether it talks to WeChat or only logs.
 *
 * - The real sender takes an access token from `POST /cgi-bin/stable_token`
 *   (unlike `/cgi-bin/token`, it does not invalidate tokens other serverless
 *   instances hold) and calls `POST /cgi-bin/message/subscribe/send`.
 * - The log-only sender stands in outside production when no appid/secret is
 *   configured, so the demo and `npm run cron:birthdays` work offline.
 *
 * A sender is created per job run: the token lives only as long as the run
 * (no per-request state in module scope of a serverless function).
 */
import type { AppConfig } from './config.js';
import type { Logger } from './log.js';

export interface SubscribeMessage {
  openid: string;
  templateId: string;
  /** Mini-program page opened from the message. */
  page: string;
  /** Template keywords: `{ thing1: { value } }`. */
  data: Record<string, { value: string }>;
}

export type SendOutcome =
  | { ok: true }
  /** `permanent`: retrying cannot help (the user did not subscribe, bad openid). */
  | { ok: false; error: string; permanent: boolean };

export interface SubscribeSender {
  readonly kind: 'wechat' | 'log';
  send(message: SubscribeMessage): Promise<SendOutcome>;
}

interface WechatAnswer {
  errcode?: number;
  errmsg?: string;
  access_token?: string;
  expires_in?: number;
}

/** errcodes after which the same message will never succeed. */
const PERMANENT_ERRORS: Record<number, string> = {
  40003: '用户标识（openid）无效',
  43101: '用户未订阅或已拒收此提醒',
  40037: '订阅消息模板编号无效',
  47003: '模板参数不正确',
};
const TOKEN_ERRORS = new Set([40001, 40014, 42001]);
const TIMEOUT_MS = 8000;

export function createWechatSubscribeSender(opts: {
  apiBase: string;
  appid: string;
  secret: string;
  fetchImpl?: typeof fetch;
  /** The mini-program version messages open: formal / trial / developer. */
  miniprogramState?: 'formal' | 'trial' | 'developer';
}): SubscribeSender {
  const doFetch = opts.fetchImpl ?? fetch;
  let token: Promise<string> | undefined;

  async function call(path: string, init: RequestInit & { query?: Record<string, string> }): Promise<WechatAnswer> {
    const url = new URL(path, opts.apiBase);
    for (const [k, v] of Object.entries(init.query ?? {})) url.searchParams.set(k, v);
    const res = await doFetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
    if (!res.ok) throw new Error(`微信接口 HTTP ${res.status}`);
    return (await res.json()) as WechatAnswer;
  }

  async function fetchToken(forceRefresh: boolean): Promise<string> {
    const answer = await call('/cgi-bin/stable_token', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ grant_type: 'client_credential', appid: opts.appid, secret: opts.secret, force_refresh: forceRefresh }),
    });
    if (!answer.access_token) throw new Error(`获取微信 access_token 失败（${answer.errcode ?? '?'} ${answer.errmsg ?? ''}）`.trim());
    return answer.access_token;
  }

  function accessToken(forceRefresh = false): Promise<string> {
    if (!token || forceRefresh) {
      token = fetchToken(forceRefresh);
      // A failed fetch is not cached: the next message tries again.
      token.catch(() => {
        token = undefined;
      });
    }
    return token;
  }

  async function sendOnce(message: SubscribeMessage, accessTokenValue: string): Promise<WechatAnswer> {
    return call('/cgi-bin/message/subscribe/send', {
      method: 'POST',
      query: { access_token: accessTokenValue },
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        touser: message.openid,
        template_id: message.templateId,
        page: message.page,
        data: message.data,
        miniprogram_state: opts.miniprogramState ?? 'formal',
        lang: 'zh_CN',
      }),
    });
  }

  return {
    kind: 'wechat',
    async send(message) {
      try {
        let answer = await sendOnce(message, await accessToken());
        if (answer.errcode && TOKEN_ERRORS.has(answer.errcode)) answer = await sendOnce(message, await accessToken(true));
        if (!answer.errcode) return { ok: true };
        const permanent = PERMANENT_ERRORS[answer.errcode];
        return {
          ok: false,
          permanent: permanent !== undefined,
          error: `${permanent ?? '微信发送失败'}（errcode ${answer.errcode}）`,
        };
      } catch (err) {
        const reason = err instanceof Error && err.name !== 'TimeoutError' ? err.message : '连接微信服务器超时';
        return { ok: false, permanent: false, error: reason.slice(0, 200) };
      }
    },
  };
}

/** Logs what would be sent (no openid in the log: it is a personal identifier). */
export function createLogSubscribeSender(logger: Logger): SubscribeSender {
  return {
    kind: 'log',
    async send(message) {
      logger.info('subscribe_message_logged', { templateId: message.templateId, page: message.page, data: message.data });
      return { ok: true };
    },
  };
}

/**
 * The sender for this deployment: WeChat when appid and secret are set; the
 * log-only sender otherwise, which production never gets (its config refuses
 * to start without them).
 */
export function subscribeSenderFor(config: AppConfig, logger: Logger): SubscribeSender {
  const { appid, secret, apiBase } = config.wechat;
  if (appid && secret) return createWechatSubscribeSender({ apiBase, appid, secret });
  if (config.production) throw new Error('WeChat is not configured in production');
  return createLogSubscribeSender(logger);
}
