import {
  avatarResponse,
  bindWithIdentityFields,
  bindWithIdentityResponse,
  faceConsent,
  faceConsentRequest,
  faceStatusResponse,
  faceVerificationResponse,
  identityVerificationResponse,
  manualReviewDecision,
  manualReviewItem,
  manualReviewListResponse,
  manualReviewRequest,
  objectIdField,
  studyPhotoListResponse,
} from '@ce/types';
import { z } from 'zod';
import { defineRoute, type MultipartSpec } from '../../platform/http/route';
import { loginResponse } from '../accounts';
import { setAvatar } from './avatar';
import { consentView, getConsent, giveConsent, latestConsentVersion, withdrawConsent } from './consent';
import { faceStatus } from './gate';
import { bindByIdentity, verifyOwnIdentity } from './identity';
import { decideManualReview, listManualReviews, requestManualReview } from './manual-review';
import { subjectOf } from './profile';
import { studyPhotosOf } from './study-photos';
import { verifyFace } from './verification';

/** A phone photo; larger ones are refused (413) before anything looks at them. */
export const FACE_PHOTO_UPLOAD: MultipartSpec = { maxBytes: 4 * 1024 * 1024, types: ['image/jpeg', 'image/png'] };
const noFields = z.strictObject({});
const learner = { roles: ['learner'] } as const;
const idParams = z.object({ id: objectIdField });

export const faceRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/learner/face',
    tag: 'face',
    summary: '人脸信息状态：授权、头像、核验有效期、连续失败次数、人工审核、实名核身',
    audience: learner,
    response: faceStatusResponse,
    handler: async ({ principal, deps }) => faceStatus(subjectOf(principal), deps),
  }),
  defineRoute({
    method: 'get',
    path: '/api/learner/face/consent',
    tag: 'face',
    summary: '《人脸信息处理授权》全文、版本及本人是否已同意（未绑定的微信用户看到最新版本，用于实名核身绑定）',
    audience: { roles: ['learner', 'wechat'] },
    response: faceConsent,
    handler: async ({ principal }) => (principal.role === 'wechat' ? consentView(undefined, latestConsentVersion()) : getConsent(subjectOf(principal))),
  }),
  defineRoute({
    method: 'put',
    path: '/api/learner/face/consent',
    tag: 'face',
    summary: '同意《人脸信息处理授权》（须为政策规定的当前版本，否则 409 FACE_CONSENT_OUTDATED）；记录版本和时间',
    audience: learner,
    body: faceConsentRequest,
    response: faceConsent,
    handler: async ({ principal, body, deps }) => giveConsent(subjectOf(principal), body.textVersion, deps),
  }),
  defineRoute({
    method: 'delete',
    path: '/api/learner/face/consent',
    tag: 'face',
    summary: '撤回人脸信息授权：停止拍照和人脸比对，删除头像、人脸特征和未经审核的照片',
    audience: learner,
    response: faceConsent,
    handler: async ({ principal, deps }) => withdrawConsent(subjectOf(principal), deps),
  }),
  // wx.uploadFile can only POST; other clients may PUT, as the avatar is replaced.
  ...(['put', 'post'] as const).map((method) =>
    defineRoute({
      method,
      path: '/api/learner/face/avatar',
      tag: 'face',
      summary: '上传本人头像（multipart，字段 file，JPG/PNG，白底一寸照）：须恰好一张人脸、至少 300×300；不合格时 check.problems 说明原因，原头像不变',
      audience: learner,
      multipart: FACE_PHOTO_UPLOAD,
      body: noFields,
      response: avatarResponse,
      handler: async ({ principal, file, deps }) => setAvatar(subjectOf(principal), file, deps),
    }),
  ),
  defineRoute({
    method: 'post',
    path: '/api/learner/face/verifications',
    tag: 'face',
    summary: '学习前人脸核验（multipart，字段 file：相机现拍照片）与头像比对；通过后在政策规定时间内可学习，连续失败达到次数后可申请人工审核',
    audience: learner,
    multipart: FACE_PHOTO_UPLOAD,
    body: noFields,
    response: faceVerificationResponse,
    handler: async ({ principal, file, deps }) => verifyFace(subjectOf(principal), file, deps),
  }),
  defineRoute({
    method: 'post',
    path: '/api/learner/face/manual-review',
    tag: 'face',
    summary: '人脸核验连续失败后申请人工审核（审核期间可以学习）；未达到失败次数答 409 MANUAL_REVIEW_NOT_OFFERED',
    audience: learner,
    body: manualReviewRequest,
    response: faceStatusResponse,
    handler: async ({ principal, body, deps }) => {
      await requestManualReview(subjectOf(principal), body.note, deps);
      return faceStatus(subjectOf(principal), deps);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/learner/identity-verification',
    tag: 'face',
    summary: '实名核身（multipart，字段 file：相机现拍照片），由核身服务与公安登记照片比对；通过后“未核验”的绑定变为“已核验”。失败计入绑定锁定次数',
    audience: learner,
    multipart: FACE_PHOTO_UPLOAD,
    body: noFields,
    response: identityVerificationResponse,
    handler: async ({ principal, file, ip, deps }) => verifyOwnIdentity(subjectOf(principal), principal.sessionId, ip, file, deps),
  }),
  defineRoute({
    method: 'post',
    path: '/api/auth/learner/bind-with-identity',
    tag: 'auth',
    summary: '未绑定的微信用户以实名核身绑定（multipart：姓名、身份证号、已同意的授权版本 consentTextVersion，字段 file 为现拍照片）：通过即为“已核验”，并收回他人以初始密码做的绑定（对方会话结束，提示 BINDING_REPLACED）',
    audience: { roles: ['wechat'] },
    multipart: FACE_PHOTO_UPLOAD,
    body: bindWithIdentityFields,
    response: bindWithIdentityResponse,
    handler: async ({ principal, body, file, ip, deps }) => {
      const opened = await bindByIdentity(body, { sessionId: principal.sessionId, openid: principal.subjectId }, ip, file, deps);
      return { ...(await loginResponse(opened)), reclaimed: opened.reclaimed };
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/learner/study/:id/photos',
    tag: 'face',
    summary: '本人某一报名的学习照片（最新在前），照片为短时有效的签名链接',
    audience: learner,
    params: idParams,
    response: studyPhotoListResponse,
    handler: async ({ principal, params, deps }) => studyPhotosOf(principal.subjectId, params.id, deps),
  }),
  defineRoute({
    method: 'get',
    path: '/api/review/face-reviews',
    tag: 'review',
    summary: '审核员：本市学员的人工人脸审核申请（待审核在前），含头像和核验照片的签名链接',
    audience: { roles: ['reviewer'] },
    response: manualReviewListResponse,
    handler: async ({ principal, deps }) => listManualReviews(principal, deps),
  }),
  defineRoute({
    method: 'post',
    path: '/api/review/face-reviews/:id/decision',
    tag: 'review',
    summary: '审核员：通过或驳回本市学员的人工人脸审核申请（须填写理由）；已审核的答 409，其他城市的答 404',
    audience: { roles: ['reviewer'] },
    params: idParams,
    body: manualReviewDecision,
    response: manualReviewItem,
    handler: async ({ principal, params, body, deps }) => decideManualReview(principal, params.id, body, deps),
  }),
];
