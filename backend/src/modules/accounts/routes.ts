import {
  activationCodeResponse,
  certificateParams,
  changePasswordRequest,
  enterpriseLoginRequest,
  learnerBindRequest,
  learnerVerifyWithCodeRequest,
  learnerWechatLoginRequest,
  loginResponse as loginResponseSchema,
  okResponse,
  sessionPrincipal,
  staffLoginRequest,
} from '@ce/types';
import { z } from 'zod';
import { defineRoute } from '../../platform/http/route';
import { issueActivationCode } from './activation-codes';
import { changePassword } from './change-password';
import { enterpriseLogin } from './enterprise-login';
import { bindLearner, learnerWechatLogin, verifyWithActivationCode } from './learner-login';
import { describeSession, loginResponse } from './principal';
import { endSession, findSession, sessionOf } from './sessions';
import { staffLogin } from './staff';

const principalResponse = z.object({ principal: sessionPrincipal });
const everyone = ['learner', 'enterprise', 'reviewer', 'operator', 'wechat'] as const;

export const accountRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/auth/enterprise/login',
    tag: 'auth',
    summary: '企业登录（按省份政策使用企业名称或统一社会信用代码）',
    audience: 'public',
    body: enterpriseLoginRequest,
    response: loginResponseSchema,
    handler: async ({ body, ip, deps }) => loginResponse(await enterpriseLogin(body, ip, deps)),
  }),
  defineRoute({
    method: 'post',
    path: '/api/auth/learner/wechat-login',
    tag: 'auth',
    summary: '学员微信登录（wx.login code → openid）；未绑定时返回仅可绑定的会话',
    audience: 'public',
    body: learnerWechatLoginRequest,
    response: loginResponseSchema,
    handler: async ({ body, ip, deps }) => loginResponse(await learnerWechatLogin(body.code, ip, deps)),
  }),
  defineRoute({
    method: 'post',
    path: '/api/auth/learner/bind',
    tag: 'auth',
    summary: '学员绑定（姓名 + 身份证号 + 密码或企业激活码）；用初始密码绑定为“未核验”，用激活码绑定为“已核验”',
    audience: { roles: ['wechat'] },
    body: learnerBindRequest,
    response: loginResponseSchema,
    handler: async ({ body, principal, ip, deps }) =>
      loginResponse(await bindLearner(body, { sessionId: principal.sessionId, openid: principal.subjectId }, ip, deps)),
  }),
  defineRoute({
    method: 'post',
    path: '/api/auth/learner/verify-with-code',
    tag: 'auth',
    summary: '学员输入企业激活码核验本人：以初始密码绑定（未核验）的学员变为“已核验”，本会话保持；已核验的学员答 409（details.reason = ALREADY_VERIFIED）',
    audience: { roles: ['learner'] },
    body: learnerVerifyWithCodeRequest,
    response: principalResponse,
    handler: async ({ body, principal, ip, deps }) => {
      await verifyWithActivationCode(body.activationCode, principal.sessionId, ip, deps);
      return { principal: await describeSession(await findSession(principal.sessionId)) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/auth/staff/login',
    tag: 'auth',
    summary: '审核员 / 管理员登录',
    audience: 'public',
    body: staffLoginRequest,
    response: loginResponseSchema,
    handler: async ({ body, ip, deps }) => loginResponse(await staffLogin(body, ip, deps)),
  }),
  defineRoute({
    method: 'post',
    path: '/api/auth/password',
    tag: 'auth',
    summary: '修改密码（首次登录必须修改初始密码）',
    audience: { roles: ['learner', 'enterprise', 'reviewer', 'operator'], allowBeforePasswordChange: true },
    body: changePasswordRequest,
    response: principalResponse,
    handler: async ({ body, principal, ip, deps }) => {
      await changePassword(principal, body, ip, deps);
      return { principal: await describeSession(await findSession(principal.sessionId)) };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/enterprise/certificates/:certificateId/activation-code',
    tag: 'enterprise',
    summary: '为本企业证书的持证人申请学员激活码（一次性，限时有效；新码作废未用的旧码）',
    audience: { roles: ['enterprise'] },
    params: certificateParams,
    response: activationCodeResponse,
    status: 201,
    handler: async ({ params, principal, deps }) => {
      const session = await findSession(principal.sessionId);
      return issueActivationCode(principal, params.certificateId, session.accountId, deps);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/auth/me',
    tag: 'auth',
    summary: '当前登录身份',
    audience: { roles: [...everyone], allowBeforePasswordChange: true },
    response: principalResponse,
    handler: async ({ principal }) => ({ principal: await describeSession(await sessionOf(principal)) }),
  }),
  defineRoute({
    method: 'post',
    path: '/api/auth/logout',
    tag: 'auth',
    summary: '退出登录',
    audience: { roles: [...everyone], allowBeforePasswordChange: true },
    response: okResponse,
    handler: async ({ principal, deps }) => {
      await endSession(principal.sessionId, 'LOGOUT', deps);
      return { ok: true as const };
    },
  }),
];
