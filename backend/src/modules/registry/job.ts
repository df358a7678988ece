import type { Deps } from '../../platform/http/route';
import type { Jobs } from '../../platform/jobs';
import type { RegistryListener } from './index';
import { importCertificates } from './import';
import { ImportBusyError } from './lease';

/** One nightly run: skipped (not failed) when another import holds the lease, e.g. an operator's CLI run. */
export async function runNightlySync(source: string, deps: Deps, listener: RegistryListener): Promise<object> {
  try {
    const { rejections, recoveredRuns: _r, timings: _t, ...outcome } = await importCertificates({ path: source }, { deps, listener, trigger: 'schedule' });
    if (outcome.outcome === 'REJECTED') deps.logger.warn({ runId: outcome.runId, refusal: outcome.refusal, rejected: outcome.rejected }, 'nightly certificate file rejected; nothing applied');
    return { ...outcome, firstRejections: rejections.slice(0, 20) };
  } catch (error) {
    if (error instanceof ImportBusyError) return { skipped: error.message };
    throw error;
  }
}

/** The nightly registry import, from the file the provincial export lands in (CERT_SYNC_SOURCE). */
export function scheduleCertificateSync(jobs: Jobs, deps: Deps, listener: RegistryListener): void {
  const source = deps.config.CERT_SYNC_SOURCE;
  if (!source) return;
  jobs.schedule('certificate-sync', deps.config.CERT_SYNC_CRON, () => runNightlySync(source, deps, listener));
}
