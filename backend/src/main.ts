import { startBackend } from './app';
import { loadConfig } from './platform/config';
import { startEmbeddedMongo, withDatabaseName } from './platform/embeddedMongo';

/** Production entry: `MONGODB_URI` or, outside production, the embedded default database. */
async function main(): Promise<void> {
  const config = loadConfig();
  const embedded = config.MONGODB_URI ? undefined : await startEmbeddedMongo();
  if (embedded) config.MONGODB_URI = withDatabaseName(embedded.uri, 'ce');
  const backend = await startBackend(config);

  const shutdown = async (signal: string) => {
    backend.deps.logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    await backend.stop();
    await embedded?.stop();
    clearTimeout(force);
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
