/**
 * The certificate registry's public face: other modules import from here, never from its files.
 * The registry knows enterprises, persons and certificates as the provincial system exports them; it does
 * not know about accounts. When an import sees enterprises (new, renamed, moved city) it tells a listener,
 * wired at the composition root (accounts creates or renames logins).
 */
export type { CertificateDoc, EnterpriseDoc, PersonDoc, SyncRunDoc, SyncRunStatus } from './data';
export { CertificateModel, EnterpriseModel, PersonModel, SyncRunModel } from './data';
export { FileRefusedError, type SourceEncoding } from '../../platform/text-decoding';
export { importCertificates, ImportFailedError, type ImportOptions, type ImportProgress, type ImportSummary, type Rejection } from './import';
export { runNightlySync, scheduleCertificateSync } from './job';
export { ImportBusyError } from './lease';
export { fileSize, formatOf, type RegistrySource } from './read-records';
export { MAX_LISTED_REJECTIONS, maskIdNumbersAnywhere } from './rejections';
export { lastSync } from './runs';

/** One enterprise as an import saw it; `formerName` is set when this import renamed it. */
export interface EnterpriseSeen {
  uscc: string;
  name: string;
  formerName?: string;
  province: string;
  city: string;
}

/** Told about enterprises inside the import's apply step, so accounts change with the data, or not at all. */
export interface RegistryListener {
  enterprisesSeen(seen: EnterpriseSeen[]): Promise<void>;
}
