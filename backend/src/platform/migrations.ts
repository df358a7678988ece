import type { Db } from 'mongodb';
import { MongoDBStorage, Umzug } from 'umzug';
import type { Clock } from './clock';
import { withLease } from './lease';
import type { Logger } from './logger';

/** What a migration works with: the raw driver (not today's models: a migration must fit the data as it was). */
export interface MigrationContext {
  db: Db;
  clock: Clock;
  logger: Logger;
}

export interface Migration {
  /** `NNN-what-it-does`, the same as its file name; recorded in the `migrations` collection once applied. */
  name: string;
  up(context: MigrationContext): Promise<void>;
}

export interface MigrationOptions {
  /** Lease timings (tests shorten them). */
  leaseTtlMs?: number;
  leaseWaitMs?: number;
}

/**
 * Applies every migration not yet recorded, in list order, one instance at a time (a lease in `leases`).
 * Runs at start before anything reads data. Returns the names applied now.
 */
export async function runMigrations(migrations: Migration[], context: MigrationContext, options: MigrationOptions = {}): Promise<string[]> {
  const { db, logger } = context;
  return withLease(
    db,
    'migrations',
    async () => {
      const umzug = new Umzug<MigrationContext>({
        migrations: migrations.map((m) => ({ name: m.name, up: ({ context: ctx }) => m.up(ctx) })),
        context,
        storage: new MongoDBStorage({ collection: db.collection('migrations') }),
        logger: {
          info: (event) => logger.info(event, 'migration'),
          warn: (event) => logger.warn(event, 'migration'),
          error: (event) => logger.error(event, 'migration'),
          debug: (event) => logger.debug(event, 'migration'),
        },
      });
      const applied = await umzug.up();
      return applied.map((m) => m.name);
    },
    { logger, ttlMs: options.leaseTtlMs, waitMs: options.leaseWaitMs },
  );
}
