import { AppError } from '../../platform/errors';
import { withExclusiveKeys } from '../../platform/exclusive';

const WAITS_MS = [50, 100, 200, 400, 800, 1600];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const isBusy = (error: unknown) => error instanceof AppError && error.code === 'CONFLICT' && (error.details as { busy?: boolean } | undefined)?.busy === true;

/**
 * Runs a decision on one subject (a completion, an application) while holding its claim. A second decision
 * arriving meanwhile waits for the first to end and then runs, reading what the first decided (ALREADY_DECIDED),
 * instead of being answered a bare conflict.
 */
export async function decideAlone<T>(key: string, work: () => Promise<T>): Promise<T> {
  for (const wait of WAITS_MS) {
    try {
      return await withExclusiveKeys([key], '该事项正在由他人处理，请稍后刷新', work);
    } catch (error) {
      if (!isBusy(error)) throw error;
      await sleep(wait);
    }
  }
  return withExclusiveKeys([key], '该事项正在由他人处理，请稍后刷新', work);
}
