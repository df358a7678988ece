import {
  applicationListQuery,
  applicationListResponse,
  applicationOptions,
  applicationRequest,
  applicationView,
  ceRecordQueryRequest,
  ceRecordQueryResponse,
  certificateCodeParams,
  certificateVerification,
  completionStatusQuery,
  completionStatusResponse,
  completionView,
  decisionRequest,
  enrollmentParams,
  idParams,
  recaptureRequest,
  renewalRequest,
  reviewQueueItem,
  reviewQueueQuery,
  reviewQueueResponse,
} from '@ce/types';
import { z } from 'zod';
import { defineRoute } from '../../platform/http/route';
import { limitRate } from '../accounts';
import { applicationOptionsOf, applicationsForReview, decideApplication, submitApplication } from './applications';
import { applyForRenewal, ownCertificatePdf, ownCompletion } from './learner';
import { ceRecords, verifyCertificate } from './public';
import { approveCompletion, decidePhoto, rejectCompletion, requestRecapture, reviewQueue } from './review';
import { enterpriseCompletions, provinceCompletions } from './status';

const learner = { roles: ['learner'] } as const;
const reviewer = { roles: ['reviewer'] } as const;
const fileAnswer = z.object({ contentType: z.string(), bytes: z.instanceof(Buffer), maxAgeSeconds: z.number().optional() });

const learnerRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/learner/applications/:enrollmentId',
    tag: 'completion',
    summary: '延期 / 补考：现在能否申请（不能时说明原因）及本报名的申请记录',
    audience: learner,
    params: enrollmentParams,
    response: applicationOptions,
    handler: async ({ principal, params, deps }) => applicationOptionsOf(principal.subjectId, params.enrollmentId, deps),
  }),
  defineRoute({
    method: 'post',
    path: '/api/learner/applications',
    tag: 'completion',
    summary: '提交延期（学习期结束仍未完成）或补考（考试次数用完仍未通过）申请：确认本人信息并填写手机号；同类申请待审核时答 409 APPLICATION_PENDING',
    audience: learner,
    body: applicationRequest,
    response: applicationView,
    status: 201,
    handler: async ({ principal, body, deps }) => submitApplication(principal.subjectId, body, deps),
  }),
  defineRoute({
    method: 'get',
    path: '/api/learner/completion/:enrollmentId',
    tag: 'completion',
    summary: '结业进度：考试通过 → 照片审核 → 合格结业 → 上报主管部门，上报状态、学时证明、换证申请和审核意见',
    audience: learner,
    params: enrollmentParams,
    response: completionView,
    handler: async ({ principal, params, deps }) => ownCompletion(principal.subjectId, params.enrollmentId, deps),
  }),
  defineRoute({
    method: 'get',
    path: '/api/learner/completion/:enrollmentId/certificate.pdf',
    tag: 'completion',
    summary: '下载本人的学时证明 PDF（合格结业后；含验证码和二维码）',
    audience: learner,
    params: enrollmentParams,
    response: fileAnswer,
    sendsFile: true,
    handler: async ({ principal, params, deps }) => {
      const { pdf, completion } = await ownCertificatePdf(principal.subjectId, params.enrollmentId, deps);
      return { contentType: 'application/pdf', bytes: pdf, downloadName: `学时证明_${completion.certificateNo}.pdf` };
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/learner/renewals',
    tag: 'completion',
    summary: '到期换证申请：合格结业后、证书到期前政策规定的月数内；已申请的答 409 RENEWAL_ALREADY_APPLIED',
    audience: learner,
    body: renewalRequest,
    response: completionView,
    status: 201,
    handler: async ({ principal, body, deps }) => applyForRenewal(principal.subjectId, body, deps),
  }),
];

const reviewRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/review/applications',
    tag: 'review',
    summary: '审核员：本市学员的延期 / 补考申请（默认待审核，最早的在前）',
    audience: reviewer,
    query: applicationListQuery,
    response: applicationListResponse,
    handler: async ({ principal, query }) => applicationsForReview(principal, query.state),
  }),
  defineRoute({
    method: 'post',
    path: '/api/review/applications/:id/decision',
    tag: 'review',
    summary: '审核员：通过（延长学习期 / 恢复考试次数，只生效一次）或驳回申请，须填写理由；已审核的答 409 ALREADY_DECIDED，其他城市的答 404',
    audience: reviewer,
    params: idParams,
    body: decisionRequest,
    response: applicationView,
    handler: async ({ principal, params, body, deps }) => decideApplication(principal, params.id, body, deps),
  }),
  defineRoute({
    method: 'get',
    path: '/api/review/completions',
    tag: 'review',
    summary: '审核员：本市考试已通过、等待审核的学员（可按状态筛选），含头像、学习照片、考试照片的签名链接和比对分数',
    audience: reviewer,
    query: reviewQueueQuery,
    response: reviewQueueResponse,
    handler: async ({ principal, query, deps }) => reviewQueue(principal, query.state, deps),
  }),
  defineRoute({
    method: 'post',
    path: '/api/review/photos/:id/decision',
    tag: 'review',
    summary: '审核员：通过或驳回一张照片（须填写理由）；已审核的答 409 ALREADY_DECIDED，其他城市的答 404',
    audience: reviewer,
    params: idParams,
    body: decisionRequest,
    response: reviewQueueItem,
    handler: async ({ principal, params, body, deps }) => decidePhoto(principal, params.id, body, deps),
  }),
  defineRoute({
    method: 'post',
    path: '/api/review/completions/:enrollmentId/recapture',
    tag: 'review',
    summary: '审核员：要求学员重新拍照（学员在结业进度中看到原因）',
    audience: reviewer,
    params: enrollmentParams,
    body: recaptureRequest,
    response: reviewQueueItem,
    handler: async ({ principal, params, body, deps }) => requestRecapture(principal, params.enrollmentId, body.reason, deps),
  }),
  defineRoute({
    method: 'post',
    path: '/api/review/completions/:enrollmentId/approve',
    tag: 'review',
    summary: '审核员：批准结业（合格结业）：生成学时证明验证码并上报主管部门；未通过考试答 409 REVIEW_NOT_READY，照片未审或未通过答 409 PHOTOS_NOT_APPROVED',
    audience: reviewer,
    params: enrollmentParams,
    body: z.strictObject({}),
    response: reviewQueueItem,
    handler: async ({ principal, params, deps }) => approveCompletion(principal, params.enrollmentId, deps),
  }),
  defineRoute({
    method: 'post',
    path: '/api/review/completions/:enrollmentId/reject',
    tag: 'review',
    summary: '审核员：审核不通过（须填写原因，学员可见）',
    audience: reviewer,
    params: enrollmentParams,
    body: recaptureRequest,
    response: reviewQueueItem,
    handler: async ({ principal, params, body, deps }) => rejectCompletion(principal, params.enrollmentId, body.reason, deps),
  }),
];

const statusRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/enterprise/completions',
    tag: 'completion',
    summary: '企业：本企业已缴费报名的结业状态和上报主管部门状态',
    audience: { roles: ['enterprise'] },
    response: completionStatusResponse,
    handler: async ({ principal }) => enterpriseCompletions(principal.subjectId),
  }),
  defineRoute({
    method: 'get',
    path: '/api/admin/completions',
    tag: 'completion',
    summary: '管理员：本省考试已通过学员的结业和上报状态（可按结业状态 state、上报状态 report 筛选）',
    audience: { roles: ['operator'] },
    query: completionStatusQuery,
    response: completionStatusResponse,
    handler: async ({ principal, query }) => provinceCompletions(principal, query),
  }),
];

const publicRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/public/completion-certificates/:code',
    tag: 'public',
    summary: '学时证明验证（验证码）：有效时返回持证人姓名、脱敏身份证号和结业信息；查无此码 valid 为 false',
    audience: 'public',
    params: certificateCodeParams,
    response: certificateVerification,
    handler: async ({ params, ip, deps }) => {
      await limitRate('certificate-query', ip, deps);
      return verifyCertificate(params.code);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/public/ce-records',
    tag: 'public',
    summary: '继续教育记录查询（姓名 + 身份证号 + 证书类别须全部相符）：各期学习班的结业和上报状态',
    audience: 'public',
    body: ceRecordQueryRequest,
    response: ceRecordQueryResponse,
    handler: async ({ body, ip, deps }) => {
      await limitRate('certificate-query', ip, deps);
      return ceRecords(body, deps);
    },
  }),
];

export const completionRoutes = [...learnerRoutes, ...reviewRoutes, ...statusRoutes, ...publicRoutes];
