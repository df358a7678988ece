import { startBackend, type RunningBackend } from './app';
import { loadConfig } from './platform/config';
import { describeDatabase, startEmbeddedMongo, withDatabaseName, type EmbeddedMongo } from './platform/embeddedMongo';
import { createLogger, type Logger } from './platform/logger';
import { handleProcessEnd, PortInUseError } from './platform/process';

/**
 * Production entry: `MONGODB_URI`, or outside production the embedded default (see embeddedMongo.ts) on a
 * temporary folder. Logs which database runs; ends cleanly on signals and on fatal errors.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  let embedded: EmbeddedMongo | undefined;
  let backend: RunningBackend | undefined;
  const stopAll = async () => {
    await backend?.stop();
    await embedded?.stop();
  };
  handleProcessEnd(logger, stopAll);
  try {
    embedded = config.MONGODB_URI ? undefined : await startEmbeddedMongo(embeddedOptions(config.EMBEDDED_DB_DOWNLOAD_WAIT_SECONDS, logger));
    if (embedded) config.MONGODB_URI = withDatabaseName(embedded.uri, 'ce');
    announceDatabase(logger, embedded, config.MONGODB_URI!);
    backend = await startBackend(config, { logger });
  } catch (error) {
    const message = error instanceof PortInUseError ? `端口 ${error.port} 已被占用，请设置 PORT 换一个端口 / port ${error.port} is in use: set PORT to another one` : undefined;
    logger.fatal({ err: error }, message ?? 'could not start');
    await stopAll().catch(() => undefined);
    process.exit(1);
  }
}

function embeddedOptions(waitSeconds: number, logger: Logger) {
  return { downloadProbeTimeoutMs: waitSeconds * 1000, log: (message: string) => logger.info(message) };
}

function announceDatabase(logger: Logger, embedded: EmbeddedMongo | undefined, uri: string): void {
  const { en } = describeDatabase(embedded, uri);
  logger.info(
    { database: embedded?.kind ?? 'MONGODB_URI', source: embedded?.source, dataDir: embedded?.dataDir, passedOver: embedded?.passedOver },
    `database: ${en}`,
  );
}

void main();
