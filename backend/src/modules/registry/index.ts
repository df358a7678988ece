/**
 * The certificate registry's public face: other modules import from here, never from its files.
 * The registry knows enterprises, persons and certificates as the provincial system exports them; it does
 * not know about accounts. When an import sees enterprises (new, renamed, moved city) it tells a listener,
 * wired at the composition root (accounts creates or renames logins).
 */
export type { CertificateDoc, EnterpriseDoc, PersonDoc, SyncRunDoc } from './data';
export { CertificateModel, EnterpriseModel, PersonModel } from './data';
export { importCertificates, type ImportOptions, type ImportSummary, type Rejection } from './import';
export { lastSync, scheduleCertificateSync } from './job';

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
