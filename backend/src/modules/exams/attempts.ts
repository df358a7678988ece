import { randomUUID } from 'node:crypto';
import type { z } from 'zod';
import { chinaDate, type examOverview, type PolicySettings } from '@ce/types';
import { AppError } from '../../platform/errors';
import type { Deps } from '../../platform/http/route';
import { enqueue } from '../../platform/jobs';
import { enrollmentSettings, ownEnrollment, type EnrollmentDoc } from '../enrollment';
import { examEligibility } from '../learning';
import { ownAttempt } from './access';
import { bankOfClass } from './bank';
import { ExamAttemptModel, type AttemptRules, type ExamAttemptDoc } from './data';
import { closesAt, finish, settle, settledAttempts } from './finish';
import { EXAM_FINISH_JOB } from './job-names';
import { composePaper, fullMarksOf, paperSize } from './paper';
import { restoredAttempts, statusOf } from './status';
import { toAttemptSummary, toAttemptView, type AttemptView } from './views';

const DUPLICATE_KEY = 11000;

function rulesOf(exam: PolicySettings['exam']): AttemptRules {
  return {
    durationMinutes: exam.durationMinutes,
    leavingRule: exam.leavingRule,
    leavingGraceSeconds: exam.leavingGraceSeconds,
    autosaveGraceSeconds: exam.autosaveGraceSeconds,
    passMark: exam.passMark,
    captureEverySeconds: exam.captureEverySeconds,
  };
}

export function leavingWarning(exam: PolicySettings['exam']): string {
  if (exam.leavingRule === 'END_ATTEMPT_SCORE_ZERO') {
    return `考试开始后请勿离开考试页面（切换到其他应用、锁屏、接听电话等）。离开超过 ${exam.leavingGraceSeconds} 秒即视为离开考试：本次考试立即结束，成绩记 0 分，并计入考试次数。`;
  }
  return '考试开始后计时不会暂停：离开考试页面（切换应用、锁屏等）期间倒计时照常进行，时间到时系统按已保存的答案自动交卷。';
}

/** Why the exam cannot start now: learning's requirements, and the study window. */
async function blockersOf(enrollment: EnrollmentDoc, now: Date): Promise<string[]> {
  const eligibility = await examEligibility(String(enrollment._id));
  const windowEnded = enrollment.studyUntil !== undefined && chinaDate(now) > enrollment.studyUntil;
  return [...eligibility.blockers, ...(windowEnded ? [`学习期已于 ${enrollment.studyUntil} 结束，如需继续请申请延期`] : [])];
}

/** 结业考试 overview: the rules, what blocks the start, the attempts so far and the best score. */
export async function examOverviewOf(personId: string, enrollmentId: string, deps: Deps): Promise<z.input<typeof examOverview>> {
  const now = deps.clock.now();
  const enrollment = await ownEnrollment(enrollmentId, personId);
  const [settings, restored, attempts, blockers] = await Promise.all([enrollmentSettings(enrollment), restoredAttempts(enrollment._id), settledAttempts(enrollment._id, now), blockersOf(enrollment, now)]);
  const status = statusOf(attempts, settings.exam.maxAttempts + restored);
  return {
    enrollmentId,
    className: enrollment.className,
    eligible: blockers.length === 0,
    blockers,
    durationMinutes: settings.exam.durationMinutes,
    questionCount: paperSize(settings.exam),
    fullMarks: settings.exam.fullMarks,
    passMark: settings.exam.passMark,
    maxAttempts: status.maxAttempts,
    attemptsUsed: status.attemptsUsed,
    attemptsLeft: status.attemptsLeft,
    leavingRule: settings.exam.leavingRule,
    leavingWarning: leavingWarning(settings.exam),
    ...(status.bestScore !== undefined ? { bestScore: status.bestScore } : {}),
    passed: status.passed,
    ...(status.activeAttemptId ? { activeAttemptId: status.activeAttemptId } : {}),
    attempts: attempts.map(toAttemptSummary),
  };
}

async function newAttempt(enrollment: EnrollmentDoc, no: number, settings: PolicySettings, now: Date): Promise<ExamAttemptDoc> {
  const bank = await bankOfClass(enrollment.classId);
  if (!bank) throw new AppError('QUESTION_BANK_TOO_SMALL', { total: 0 });
  const questions = composePaper(bank.questions, settings.exam);
  const attempt = await ExamAttemptModel.create({
    enrollmentId: enrollment._id,
    personId: enrollment.personId,
    no,
    state: 'IN_PROGRESS',
    startedAt: now,
    deadline: new Date(now.getTime() + settings.exam.durationMinutes * 60_000),
    rules: rulesOf(settings.exam),
    bankVersion: bank.version,
    questions,
    fullMarks: fullMarksOf(questions),
    answers: {},
    rev: 0,
    hiddenCount: 0,
    capture: { id: randomUUID(), dueAt: now },
    capturesTaken: 0,
  });
  return attempt.toObject();
}

/** The attempt that won a race to be attempt N (two starts at once): the one in progress. */
async function racingWinner(enrollment: EnrollmentDoc): Promise<ExamAttemptDoc> {
  const winner = await ExamAttemptModel.findOne({ enrollmentId: enrollment._id, state: 'IN_PROGRESS' }).lean();
  if (!winner) throw new AppError('CONFLICT', { enrollmentId: String(enrollment._id) });
  return winner;
}

/**
 * 开始考试. An attempt in progress is answered as it is (created: false). Otherwise: not passed yet, every
 * requirement met inside the study window, attempts left; the paper is drawn and the deadline (start + policy
 * duration) stored. Attempt numbers are unique per enrollment, so of two simultaneous starts one inserts and the
 * other answers the winner's attempt. A job finishes the attempt at its deadline if nobody submits it (should the
 * backend stop before queuing it, the first read after the deadline finishes the attempt just the same).
 */
export async function startAttempt(personId: string, enrollmentId: string, deps: Deps): Promise<{ view: AttemptView; created: boolean }> {
  const now = deps.clock.now();
  const enrollment = await ownEnrollment(enrollmentId, personId);
  const attempts = await settledAttempts(enrollment._id, now);
  const active = attempts.find((a) => a.state === 'IN_PROGRESS');
  if (active) return { view: toAttemptView(active, now), created: false };
  const [settings, restored] = await Promise.all([enrollmentSettings(enrollment), restoredAttempts(enrollment._id)]);
  const status = statusOf(attempts, settings.exam.maxAttempts + restored);
  if (status.passed) throw new AppError('EXAM_ALREADY_PASSED', { bestScore: status.bestScore });
  const blockers = await blockersOf(enrollment, now);
  if (blockers.length) throw new AppError('EXAM_NOT_OPEN', { blockers });
  if (status.attemptsLeft <= 0) throw new AppError('EXAM_ATTEMPTS_USED', { attemptsUsed: status.attemptsUsed, maxAttempts: status.maxAttempts });
  let attempt: ExamAttemptDoc;
  try {
    attempt = await newAttempt(enrollment, attempts.length + 1, settings, now);
  } catch (error) {
    if ((error as { code?: number }).code !== DUPLICATE_KEY) throw error;
    return { view: toAttemptView(await racingWinner(enrollment), now), created: false };
  }
  await enqueue(EXAM_FINISH_JOB, { attemptId: String(attempt._id) }, { key: `exam-finish:${attempt._id}`, runAt: closesAt(attempt), now });
  deps.logger.info({ attemptId: String(attempt._id), enrollmentId, no: attempt.no }, 'exam attempt started');
  return { view: toAttemptView(attempt, now), created: true };
}

/** 继续考试 / 查看结果: on any device; an overdue attempt is finished first. */
export async function readAttempt(personId: string, attemptId: string, deps: Deps): Promise<AttemptView> {
  const now = deps.clock.now();
  return toAttemptView(await settle(await ownAttempt(attemptId, personId), now), now);
}

/**
 * 交卷. After the deadline (within the autosave grace) it counts as finished by the deadline. Two submits at once
 * get one result.
 */
export async function submitAttempt(personId: string, attemptId: string, deps: Deps): Promise<AttemptView> {
  const now = deps.clock.now();
  const attempt = await settle(await ownAttempt(attemptId, personId), now);
  if (attempt.state === 'FINISHED') return toAttemptView(attempt, now);
  const ending = now > attempt.deadline ? { endedBy: 'DEADLINE' as const, at: attempt.deadline } : { endedBy: 'SUBMITTED' as const, at: now };
  const finished = await finish(attempt, ending);
  deps.logger.info({ attemptId, endedBy: finished.endedBy, score: finished.result?.score }, 'exam attempt finished');
  return toAttemptView(finished, now);
}
