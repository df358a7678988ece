import type { Config } from '../../../platform/config';
import { httpGovReportProvider } from './http';
import type { GovReportProvider } from './types';

export { GovReportError, type GovReceipt, type GovReport, type GovReportProvider } from './types';

/** The government platform completion results go to (GOV_REPORT_ENDPOINT; the local simulator in dev and tests). */
export function govReportProvider(config: Config): GovReportProvider {
  return httpGovReportProvider(config);
}
