/** One 合格结业 result as the provincial platform receives it (the person by certificate number; the ID number masked). */
export interface GovReport {
  /** Stable per completion: a report sent again is recognised by the platform, not counted twice. */
  reportId: string;
  province: string;
  city: string;
  certificateNo: string;
  holderName: string;
  idMasked: string;
  category: string;
  className: string;
  hoursEarned: number;
  examScore?: number;
  examPassedAt: string;
  completedAt: string;
  verificationCode: string;
}

export interface GovReceipt {
  receipt: string;
  /** The platform already had this report (an earlier answer was lost). */
  duplicate: boolean;
}

/** The provincial platform behind an interface: the HTTP client in production, dev and tests (against the simulator). */
export interface GovReportProvider {
  readonly name: string;
  submit(report: GovReport, at: Date): Promise<GovReceipt>;
}

/** A report the platform did not acknowledge; `permanent` when sending it again cannot help (a malformed report). */
export class GovReportError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    readonly permanent = false,
  ) {
    super(message);
    this.name = 'GovReportError';
  }
}
