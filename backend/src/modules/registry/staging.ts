import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { PlannedBatch } from './plan';

const DIR_PREFIX = 'ce-registry-import-';

/**
 * The planned batches of one run, staged in a private temporary file between checking the whole source and
 * applying it: nothing is written to the database until every line is known good, and the source is never
 * held in memory. A local file costs a fraction of staging in the database. It holds no raw ID number (only
 * the cipher, the masked form and the lookup hash) and is removed when the run ends, however it ends.
 */
export class StagedPlan {
  private readonly out: WriteStream;
  private failure: Error | undefined;

  private constructor(readonly dir: string) {
    this.out = createWriteStream(this.file, { mode: 0o600 });
    this.out.on('error', (error) => (this.failure = error));
  }

  static async create(): Promise<StagedPlan> {
    return new StagedPlan(await mkdtemp(path.join(tmpdir(), DIR_PREFIX)));
  }

  private get file(): string {
    return path.join(this.dir, 'plan.jsonl');
  }

  async append(batch: PlannedBatch): Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.out.write(JSON.stringify(batch) + '\n')) await once(this.out, 'drain');
  }

  async *batches(): AsyncIterable<PlannedBatch> {
    if (!this.out.writableFinished) {
      this.out.end();
      await once(this.out, 'finish');
    }
    if (this.failure) throw this.failure;
    for await (const line of createInterface({ input: createReadStream(this.file), crlfDelay: Infinity })) {
      if (line) yield JSON.parse(line) as PlannedBatch;
    }
  }

  async remove(): Promise<void> {
    this.out.destroy();
    await StagedPlan.discard(this.dir);
  }

  /** Removes a staging folder, this run's or one a crashed run left behind (only ever one of ours). */
  static async discard(dir: string): Promise<void> {
    if (path.basename(dir).startsWith(DIR_PREFIX)) await rm(dir, { recursive: true, force: true });
  }
}
