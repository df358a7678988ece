import type { Deps } from '../../platform/http/route';
import type { Jobs } from '../../platform/jobs';
import { SyncRunModel, type SyncRunDoc } from './data';
import { importCertificates } from './import';

/** The nightly registry import, from the file the provincial export lands in (CERT_SYNC_SOURCE). */
export function scheduleCertificateSync(jobs: Jobs, deps: Deps): void {
  const source = deps.config.CERT_SYNC_SOURCE;
  if (!source) return;
  jobs.schedule('certificate-sync', deps.config.CERT_SYNC_CRON, async () => {
    const { rejections, ...counts } = await importCertificates({ path: source }, { deps, trigger: 'schedule' });
    return { ...counts, firstRejections: rejections.slice(0, 20) };
  });
}

export async function lastSync(): Promise<SyncRunDoc | null> {
  return SyncRunModel.findOne({ finishedAt: { $exists: true } }).sort({ finishedAt: -1 }).lean();
}
