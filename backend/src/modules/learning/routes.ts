import { z } from 'zod';
import { capturePhotoFields, enrollmentContentResponse, heartbeatRequest, heartbeatResponse, objectIdField, playbackSessionResponse, startPlaybackRequest, studyOverviewResponse, studyPhotoResponse } from '@ce/types';
import { AppError } from '../../platform/errors';
import { defineRoute } from '../../platform/http/route';
import { answerRange, mediaStore, streamAnswer } from '../../platform/storage';
import { LessonModel } from '../catalog';
import { FACE_PHOTO_UPLOAD, subjectOf } from '../face';
import { EnrollmentModel, ownEnrollment } from '../enrollment';
import { assertStudyOpen } from './access';
import { submitCapture } from './captures';
import { enrollmentContent, studyOverviews } from './credits';
import { recordHeartbeat } from './heartbeats';
import { startPlayback } from './playback';
import { checkVideoLink, VIDEOS_PATH } from './video-links';

const learner = { roles: ['learner' as const] };
const sessionParams = z.object({ id: z.string().uuid() });

export const learningRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/learner/study',
    tag: 'learning',
    summary: '我的学习：每个已缴费报名的学时、专题要求、照片覆盖率与能否考试（均由服务器核定）',
    audience: learner,
    response: studyOverviewResponse,
    handler: async ({ principal, deps }) => ({ items: await studyOverviews(principal.subjectId, deps.clock.now()) }),
  }),
  defineRoute({
    method: 'get',
    path: '/api/learner/study/:id',
    tag: 'learning',
    summary: '一个报名的专题 → 课程 → 课时及各自进度',
    audience: learner,
    params: z.object({ id: objectIdField }),
    response: enrollmentContentResponse,
    handler: async ({ principal, params, deps }) => enrollmentContent(await ownEnrollment(params.id, principal.subjectId), deps.clock.now()),
  }),
  defineRoute({
    method: 'post',
    path: '/api/learner/playback-sessions',
    tag: 'learning',
    summary: '开始播放一个课时（须已缴费、在学习期内、已完成人脸核验）；同一学员只保留一个播放，其他设备的播放随之结束',
    audience: learner,
    body: startPlaybackRequest,
    response: playbackSessionResponse,
    status: 201,
    handler: async ({ principal, body, deps }) => startPlayback({ learner: subjectOf(principal), ...body }, deps),
  }),
  defineRoute({
    method: 'post',
    path: '/api/learner/playback-sessions/:id/heartbeats',
    tag: 'learning',
    summary: '播放进度上报（序号递增）：服务器按真实时间核定学时；重复、乱序、快进、倍速、过快上报不计',
    audience: learner,
    params: sessionParams,
    body: heartbeatRequest,
    response: heartbeatResponse,
    handler: async ({ principal, params, body, deps }) => recordHeartbeat({ sessionId: params.id, personId: principal.subjectId, heartbeat: body }, deps),
  }),
  defineRoute({
    method: 'post',
    path: '/api/learner/playback-sessions/:id/captures',
    tag: 'learning',
    summary: '学习抓拍：服务器要求拍照时，从相机拍摄上传（multipart：captureId + file），立即核验；未通过可立即重拍',
    audience: learner,
    params: sessionParams,
    body: capturePhotoFields,
    multipart: FACE_PHOTO_UPLOAD,
    response: studyPhotoResponse,
    handler: async ({ principal, params, body, file, deps }) => submitCapture({ sessionId: params.id, learner: subjectOf(principal), captureId: body.captureId, file }, deps),
  }),
  defineRoute({
    method: 'get',
    path: `${VIDEOS_PATH}/:lessonId/:enrollmentId`,
    tag: 'learning',
    summary: '课时视频（支持 Range 分段）：仅凭短时签名链接（伪造或过期 → 403 FILE_LINK_INVALID），且仅在该报名已缴费、学习期内（否则 403 STUDY_NOT_PAID / STUDY_WINDOW_CLOSED）',
    audience: 'public',
    params: z.object({ lessonId: objectIdField, enrollmentId: objectIdField }),
    query: z.object({ exp: z.string().max(20).optional(), sig: z.string().max(128).optional() }),
    response: streamAnswer,
    streams: true,
    handler: async ({ params, query, deps, koa, headers }) => {
      const now = deps.clock.now();
      if (checkVideoLink({ ...params, ...query }, deps) !== 'valid') throw new AppError('FILE_LINK_INVALID');
      const enrollment = await EnrollmentModel.findById(params.enrollmentId).lean();
      if (!enrollment) throw new AppError('FILE_LINK_INVALID');
      assertStudyOpen(enrollment, now);
      const lesson = await LessonModel.findOne({ _id: params.lessonId, classId: enrollment.classId }).lean();
      if (!lesson) throw new AppError('LESSON_NOT_FOUND');
      return answerRange(mediaStore(deps.config), lesson.videoKey, { method: koa.method, headers }, { maxAgeSeconds: Number(query.exp) - Math.floor(now.getTime() / 1000) });
    },
  }),
];
