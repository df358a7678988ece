import type { z } from 'zod';
import type { lessonProgress } from '@ce/types';
import type { LessonWatch } from './data';
import { coveredSeconds, furthestSecond } from './intervals';

type LessonProgress = z.infer<typeof lessonProgress>;

const round1 = (n: number) => Math.round(n * 10) / 10;

/** A lesson as the learner sees it: what the server verified, never what the player claimed. */
export function lessonView(lesson: { id: string; title: string; durationSeconds: number }, watch: LessonWatch): LessonProgress {
  const covered = coveredSeconds(watch.intervals, lesson.durationSeconds);
  const shown = Math.min(covered, watch.credited);
  const percent = watch.completed ? 100 : Math.min(99, Math.floor((100 * shown) / Math.max(1, lesson.durationSeconds)));
  return {
    id: lesson.id,
    title: lesson.title,
    durationSeconds: lesson.durationSeconds,
    coveredSeconds: round1(covered),
    creditedSeconds: round1(watch.credited),
    furthestSecond: round1(Math.min(furthestSecond(watch.intervals), lesson.durationSeconds)),
    resumeAtSecond: round1(watch.resumeAt),
    completed: watch.completed,
    percent,
  };
}
