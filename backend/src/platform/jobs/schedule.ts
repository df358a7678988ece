import { Cron } from 'croner';
import type { Logger } from '../logger';

/** Scheduled jobs: one run at a time per job, each run logged, all stopped on shutdown. */
export class Jobs {
  private readonly crons: Cron[] = [];

  constructor(private readonly logger: Logger) {}

  schedule(name: string, pattern: string, run: () => Promise<unknown>): void {
    const cron = new Cron(pattern, { protect: true, timezone: 'Asia/Shanghai', name }, async () => {
      const started = Date.now();
      try {
        const result = await run();
        this.logger.info({ job: name, ms: Date.now() - started, result }, 'job finished');
      } catch (error) {
        this.logger.error({ job: name, err: error }, 'job failed');
      }
    });
    this.crons.push(cron);
  }

  stopAll(): void {
    for (const cron of this.crons) cron.stop();
  }
}
