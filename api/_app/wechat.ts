/**
 * WeChat's server API: code2session for login. Only the server talks to WeChat;
 * `session_key` never leaves this module.
 */
import { ApiError } from './errors.js';

export interface WechatSession {
  openid: string;
  unionid?: string;
}

export interface WechatClient {
  code2session(code: string): Promise<WechatSession>;
}

interface Code2SessionAnswer {
  openid?: string;
  unionid?: string;
  session_key?: string;
  errcode?: number;
  errmsg?: string;
}

export function createWechatClient(opts: { apiBase: string; appid?: string; secret?: string; fetchImpl?: typeof fetch }): WechatClient {
  const doFetch = opts.fetchImpl ?? fetch;
  return {
    async code2session(code) {
      if (!opts.appid || !opts.secret) {
        throw new ApiError('unavailable', '微信登录未配置（缺少 WECHAT_APPID / WECHAT_SECRET）');
      }
      const url = new URL('/sns/jscode2session', opts.apiBase);
      url.searchParams.set('appid', opts.appid);
      url.searchParams.set('secret', opts.secret);
      url.searchParams.set('js_code', code);
      url.searchParams.set('grant_type', 'authorization_code');
      let answer: Code2SessionAnswer;
      try {
        const res = await doFetch(url, { signal: AbortSignal.timeout(8000) });
        answer = (await res.json()) as Code2SessionAnswer;
      } catch {
        throw new ApiError('unavailable', '暂时无法连接微信服务器，请稍后重试');
      }
      if (answer.errcode) {
        if (answer.errcode === 40029 || answer.errcode === 40163) {
          throw new ApiError('unauthorized', '微信登录凭证无效或已使用，请重新进入小程序');
        }
        if (answer.errcode === 45011) {
          throw new ApiError('rate_limited', '登录过于频繁，请稍后再试', undefined, { 'Retry-After': '60' });
        }
        throw new ApiError('unavailable', '微信登录暂时不可用，请稍后重试');
      }
      if (!answer.openid) throw new ApiError('unavailable', '微信登录暂时不可用，请稍后重试');
      return { openid: answer.openid, unionid: answer.unionid };
    },
  };
}
