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
    throw refusal(answer.errcode);
  }
  return answer.openid;
}

/** WeChat's errcodes that are about the code the client sent; anything else is our setup or WeChat itself. */
const CODE_ERRCODES: Record<number, string | undefined> = {
  40029: undefined, // invalid code (made up, or older than 5 minutes)
  40163: undefined, // code already used
  40226: '微信判定当前账号存在风险，暂时无法登录，请稍后再试',
};

function refusal(errcode: number | undefined): AppError {
  if (errcode !== undefined && errcode in CODE_ERRCODES) return new AppError('WECHAT_CODE_INVALID', { errcode }, CODE_ERRCODES[errcode]);
  if (errcode === 45011) return new AppError('RATE_LIMITED', { errcode });
  return new AppError('WECHAT_LOGIN_FAILED', { errcode });
}
