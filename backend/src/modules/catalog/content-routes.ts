import { classContentResponse, adminCourse, adminLesson, adminTopic, createCourseRequest, createLessonFields, createTopicRequest, idParams, okResponse, updateCourseRequest, updateLessonRequest } from '@ce/types';
import { defineRoute } from '../../platform/http/route';
import { classContentForOperator, createCourse, createLesson, createTopic, deleteLesson, updateCourse, updateLesson } from './content';

const operators = { roles: ['operator'] } as const;
/** The route's own ceiling; VIDEO_UPLOAD_MAX_BYTES (200 MB by default) is the limit in force. */
const VIDEO_ROUTE_MAX_BYTES = 4 * 1024 ** 3;

/** Content administration: operators, for their own province's classes only. */
export const contentRoutes = [
  defineRoute({
    method: 'get',
    path: '/api/admin/classes/:id/content',
    tag: 'admin',
    summary: '学习班课程内容：专题 → 课程 → 课时（含已下架）',
    audience: operators,
    params: idParams,
    response: classContentResponse,
    handler: async ({ params, principal }) => classContentForOperator(params.id, principal.province),
  }),
  defineRoute({
    method: 'post',
    path: '/api/admin/classes/:id/topics',
    tag: 'admin',
    summary: '新增专题（须为本省政策规定的专题之一；每个学习班每个专题一个）',
    audience: operators,
    params: idParams,
    body: createTopicRequest,
    response: adminTopic,
    status: 201,
    handler: async ({ params, body, principal }) => createTopic(params.id, body, principal.province),
  }),
  defineRoute({
    method: 'post',
    path: '/api/admin/topics/:id/courses',
    tag: 'admin',
    summary: '新增课程（学时：全部课时学完后计入）',
    audience: operators,
    params: idParams,
    body: createCourseRequest,
    response: adminCourse,
    status: 201,
    handler: async ({ params, body, principal }) => createCourse(params.id, body, principal.province),
  }),
  defineRoute({
    method: 'put',
    path: '/api/admin/courses/:id',
    tag: 'admin',
    summary: '修改课程（名称、学时、顺序、上下架）',
    audience: operators,
    params: idParams,
    body: updateCourseRequest,
    response: adminCourse,
    handler: async ({ params, body, principal }) => updateCourse(params.id, body, principal.province),
  }),
  defineRoute({
    method: 'post',
    path: '/api/admin/courses/:id/lessons',
    tag: 'admin',
    summary: '上传课时视频（MP4：H.264 画面 + 音轨；时长从视频文件读取）',
    audience: operators,
    params: idParams,
    multipart: { maxBytes: VIDEO_ROUTE_MAX_BYTES, types: ['video/mp4'], spool: true },
    body: createLessonFields,
    response: adminLesson,
    status: 201,
    handler: async ({ params, body, spooledFile, principal, deps }) => createLesson(params.id, body, spooledFile, principal.province, deps),
  }),
  defineRoute({
    method: 'put',
    path: '/api/admin/lessons/:id',
    tag: 'admin',
    summary: '修改课时（名称、顺序、上下架）',
    audience: operators,
    params: idParams,
    body: updateLessonRequest,
    response: adminLesson,
    handler: async ({ params, body, principal }) => updateLesson(params.id, body, principal.province),
  }),
  defineRoute({
    method: 'delete',
    path: '/api/admin/lessons/:id',
    tag: 'admin',
    summary: '删除课时及其视频（已有学员学习的课时不能删除，可下架）',
    audience: operators,
    params: idParams,
    response: okResponse,
    handler: async ({ params, principal, deps }) => {
      await deleteLesson(params.id, principal.province, deps);
      return { ok: true as const };
    },
  }),
];
