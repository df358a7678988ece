import { z } from 'zod';
import { attemptView, examOverview, examPhotoFields, examPhotoResponse, objectIdField, questionBankSummary, saveAnswerRequest, saveAnswerResponse, startAttemptRequest, visibilityRequest, visibilityResponse } from '@ce/types';
import { defineRoute } from '../../platform/http/route';
import { subjectOf } from '../face';
import { saveAnswer } from './answers';
import { examOverviewOf, readAttempt, startAttempt, submitAttempt } from './attempts';
import { importQuestionBank, questionBankSummary as bankSummary } from './bank';
import { signalVisibility } from './leaving';
import { submitExamPhoto } from './photos';

const learner = { roles: ['learner' as const] };
const operators = { roles: ['operator' as const] };
const attemptParams = z.object({ id: objectIdField });
const answerParams = z.object({ id: objectIdField, questionId: z.string().regex(/^[0-9a-f]{12}$/, '题目编号格式不正确') });

/** A bank file is text (no magic bytes to tell it by): spooled, then read and checked whole by the handler. */
const BANK_UPLOAD = { maxBytes: 5 * 1024 * 1024, types: [] as const, spool: true as const };
/** An exam photo from the live camera: JPEG (Android) or PNG (iOS). */
const PHOTO_UPLOAD = { maxBytes: 4 * 1024 * 1024, types: ['image/jpeg', 'image/png'] as const };

export const examRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/admin/classes/:id/question-bank',
    tag: 'exams',
    summary: '导入题库（multipart：file = JSON 或 CSV，UTF-8 或 GBK）：逐行检查，有一行错误则整份不导入并列出每个错误行；导入成功即替换该班题库',
    audience: operators,
    params: z.object({ id: objectIdField }),
    body: z.object({}),
    multipart: BANK_UPLOAD,
    response: questionBankSummary,
    handler: async ({ params, spooledFile, principal, deps }) => importQuestionBank(params.id, spooledFile, principal, deps),
  }),
  defineRoute({
    method: 'get',
    path: '/api/admin/classes/:id/question-bank',
    tag: 'exams',
    summary: '题库概况：各题型题数，是否足够按本省规定组卷',
    audience: operators,
    params: z.object({ id: objectIdField }),
    response: questionBankSummary,
    handler: async ({ params, principal }) => bankSummary(params.id, principal.province),
  }),
  defineRoute({
    method: 'get',
    path: '/api/learner/exams/:enrollmentId',
    tag: 'exams',
    summary: '结业考试概况：能否开考及原因、时长、题数、及格线、次数、离开规则提示、历次成绩与最高分',
    audience: learner,
    params: z.object({ enrollmentId: objectIdField }),
    response: examOverview,
    handler: async ({ params, principal, deps }) => examOverviewOf(principal.subjectId, params.enrollmentId, deps),
  }),
  defineRoute({
    method: 'post',
    path: '/api/learner/exams/attempts',
    tag: 'exams',
    summary: '开始考试（201）；已有进行中的考试则原样返回（200）。截止时间由服务器在开始时确定',
    audience: learner,
    body: startAttemptRequest,
    response: attemptView,
    status: 201,
    handler: async ({ body, principal, deps, answerStatus }) => {
      const { view, created } = await startAttempt(principal.subjectId, body.enrollmentId, deps);
      if (!created) answerStatus(200);
      return view;
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/learner/exams/attempts/:id',
    tag: 'exams',
    summary: '继续考试（任意设备）或查看结果；超时的考试在此时按已保存答案交卷',
    audience: learner,
    params: attemptParams,
    response: attemptView,
    handler: async ({ params, principal, deps }) => readAttempt(principal.subjectId, params.id, deps),
  }),
  defineRoute({
    method: 'put',
    path: '/api/learner/exams/attempts/:id/answers/:questionId',
    tag: 'exams',
    summary: '自动保存一题答案（按 seq 保留最新一次修改，重复提交无害）；截止后拒绝，截止前发出、宽限期内到达的仍保存',
    audience: learner,
    params: answerParams,
    body: saveAnswerRequest,
    response: saveAnswerResponse,
    handler: async ({ params, body, principal, deps }) => saveAnswer({ personId: principal.subjectId, attemptId: params.id, questionId: params.questionId, body }, deps),
  }),
  defineRoute({
    method: 'post',
    path: '/api/learner/exams/attempts/:id/submit',
    tag: 'exams',
    summary: '交卷：按已保存答案评分（多选须全部选对才得分）；重复交卷得到同一结果',
    audience: learner,
    params: attemptParams,
    response: attemptView,
    handler: async ({ params, principal, deps }) => submitAttempt(principal.subjectId, params.id, deps),
  }),
  defineRoute({
    method: 'post',
    path: '/api/learner/exams/attempts/:id/visibility',
    tag: 'exams',
    summary: '考试页切到后台 / 回到前台的信号；按本省规定：离开超过宽限时间结束考试记 0 分，或仅记录、计时继续',
    audience: learner,
    params: attemptParams,
    body: visibilityRequest,
    response: visibilityResponse,
    handler: async ({ params, body, principal, deps }) => signalVisibility({ personId: principal.subjectId, attemptId: params.id, state: body.state }, deps),
  }),
  defineRoute({
    method: 'post',
    path: '/api/learner/exams/attempts/:id/photos',
    tag: 'exams',
    summary: '考试拍照（multipart：captureId + file，相机实拍）：与头像比对，未通过可立即重拍',
    audience: learner,
    params: attemptParams,
    body: examPhotoFields,
    multipart: PHOTO_UPLOAD,
    response: examPhotoResponse,
    handler: async ({ params, body, file, principal, deps }) => submitExamPhoto({ subject: subjectOf(principal), attemptId: params.id, captureId: body.captureId, file }, deps),
  }),
];
