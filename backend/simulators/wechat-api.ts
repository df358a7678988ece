import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * A protocol-faithful stand-in for WeChat's `jscode2session` (小程序登录) plus the client half of
 * `wx.login`, so a browser (H5 build) can obtain a login code like the mini-program does.
 *
 *   GET  /sns/jscode2session?appid&secret&js_code&grant_type=authorization_code
 *        → {openid, session_key} | {errcode, errmsg}   (40013 invalid appid, 40125 invalid appsecret,
 *          40029 invalid code, 40163 code been used; codes live 5 minutes and are single-use)
 *   POST /sim/wx/login {deviceId}  → {code}   (the same device is always the same WeChat user)
 */
export interface WechatSimulator {
  url: string;
  /** What `wx.login` would return on a device. */
  issueCode(deviceId: string): string;
  stop(): Promise<void>;
}

interface IssuedCode {
  openid: string;
  expiresAt: number;
  used: boolean;
}

const CODE_TTL_MS = 5 * 60_000;

export async function startWechatSimulator(options: { appid: string; secret: string; port?: number; host?: string }): Promise<WechatSimulator> {
  const codes = new Map<string, IssuedCode>();
  const openidFor = (deviceId: string) => 'o' + createHmac('sha256', options.appid).update(deviceId).digest('base64url').slice(0, 27);

  const issueCode = (deviceId: string) => {
    const code = randomBytes(16).toString('hex');
    codes.set(code, { openid: openidFor(deviceId), expiresAt: Date.now() + CODE_TTL_MS, used: false });
    return code;
  };

  const send = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'access-control-allow-origin': '*',
      'access-control-allow-headers': 'content-type',
    });
    res.end(JSON.stringify(body));
  };

  const jscode2session = (params: URLSearchParams) => {
    if (params.get('appid') !== options.appid) return { errcode: 40013, errmsg: 'invalid appid' };
    if (params.get('secret') !== options.secret) return { errcode: 40125, errmsg: 'invalid appsecret' };
    if (params.get('grant_type') !== 'authorization_code') return { errcode: 40002, errmsg: 'invalid grant_type' };
    const issued = codes.get(params.get('js_code') ?? '');
    if (!issued || issued.expiresAt < Date.now()) return { errcode: 40029, errmsg: 'invalid code' };
    if (issued.used) return { errcode: 40163, errmsg: 'code been used' };
    issued.used = true;
    return { openid: issued.openid, session_key: randomBytes(16).toString('base64') };
  };

  const readJson = async (req: IncomingMessage) => {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    try {
      return JSON.parse(raw || '{}') as { deviceId?: unknown };
    } catch {
      return {};
    }
  };

  const server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://sim');
    if (req.method === 'OPTIONS') return send(res, 204, null);
    if (req.method === 'GET' && url.pathname === '/sns/jscode2session') return send(res, 200, jscode2session(url.searchParams));
    if (req.method === 'POST' && url.pathname === '/sim/wx/login') {
      const { deviceId } = await readJson(req);
      if (typeof deviceId !== 'string' || deviceId.length < 8) return send(res, 400, { errMsg: 'login:fail invalid deviceId' });
      return send(res, 200, { errMsg: 'login:ok', code: issueCode(deviceId) });
    }
    send(res, 404, { errcode: 404, errmsg: 'not found' });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, host, resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://${host}:${port}`,
    issueCode,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
