import { AppError } from '../../platform/errors';
import type { Deps } from '../../platform/http/route';

interface Code2SessionAnswer {
  openid?: string;
  session_key?: string;
  errcode?: number;
  errmsg?: string;
}

/** Exchanges a `wx.login` code for the user's openid (auth.code2Session). */
export async function code2session(code: string, deps: Deps): Promise<string> {
  const { WECHAT_API_BASE, WECHAT_APPID, WECHAT_SECRET } = deps.config;
  const url = new URL('/sns/jscode2session', WECHAT_API_BASE);
  url.search = new URLSearchParams({ appid: WECHAT_APPID, secret: WECHAT_SECRET, js_code: code, grant_type: 'authorization_code' }).toString();
  let answer: Code2SessionAnswer;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
    answer = (await res.json()) as Code2SessionAnswer;
  } catch (error) {
    deps.logger.warn({ err: error }, 'code2session unreachable');
    throw new AppError('WECHAT_LOGIN_FAILED', { reason: 'unreachable' });
  }
  if (!answer.openid) {
    deps.logger.warn({ errcode: answer.errcode, errmsg: answer.errmsg }, 'code2session refused');
    throw new AppError('WECHAT_LOGIN_FAILED', { errcode: answer.errcode });
  }
  return answer.openid;
}
