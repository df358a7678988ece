import type { Server } from 'node:http';
import type { Logger } from './logger';

/**
 * How the process ends: SIGTERM/SIGINT stop it gracefully (exit 0); an unhandled rejection or uncaught
 * exception is logged as fatal and the process stops as cleanly as it still can (exit 1) rather than running on
 * in an unknown state. Either way `stop` runs once, bounded by `graceMs`.
 */
export function handleProcessEnd(logger: Logger, stop: () => Promise<void>, graceMs = 10_000): void {
  let ending = false;
  const end = (code: number) => {
    if (ending) return;
    ending = true;
    setTimeout(() => {
      logger.error({ graceMs }, 'shutdown took too long; exiting');
      process.exit(code || 1);
    }, graceMs).unref();
    stop()
      .then(() => logger.info({ exitCode: code }, 'shutdown complete'))
      .catch((error) => logger.error({ err: error }, 'error while shutting down'))
      .finally(() => process.exit(code));
  };
  process.on('SIGTERM', () => {
    logger.info({ signal: 'SIGTERM' }, 'shutting down');
    end(0);
  });
  process.on('SIGINT', () => {
    logger.info({ signal: 'SIGINT' }, 'shutting down');
    end(0);
  });
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason, event: 'unhandledRejection' }, 'unhandled promise rejection; shutting down');
    end(1);
  });
  process.on('uncaughtException', (error) => {
    logger.fatal({ err: error, event: 'uncaughtException' }, 'uncaught exception; shutting down');
    end(1);
  });
}

/** The error `listen` gives when another process has the port. */
export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    readonly host: string,
  ) {
    super(`port ${port} on ${host} is already in use`);
  }
}

/** Starts listening, or rejects with PortInUseError / the listen error (instead of an unhandled 'error' event). */
export function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, host) : error);
    server.once('error', failed);
    server.listen(port, host, () => {
      server.off('error', failed);
      resolve();
    });
  });
}
