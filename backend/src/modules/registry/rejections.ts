import { maskIdNumber } from '@ce/types';

/** A line of the source that cannot be applied, and every reason why (in Chinese, for the operator). */
export interface Rejection {
  line: number;
  certificateNo?: string;
  reasons: string[];
}

/** Enough to show an operator every bad line of a broken export, without holding an unbounded list. */
export const MAX_LISTED_REJECTIONS = 10_000;

/**
 * Anything shaped like an ID number, even inside a longer code: a certificate number may embed one, and a
 * hostile file may put one anywhere. Over-masking a long digit run in a report costs nothing.
 */
const ID_NUMBER_ANYWHERE = /[1-9]\d{16}[\dXx]/g;

export function maskIdNumbersAnywhere(text: string): string {
  return text.replace(ID_NUMBER_ANYWHERE, (match) => maskIdNumber(match));
}

/** The bad lines of one run, merged per line, in line order, with ID numbers masked as they arrive. */
export class Rejections {
  private readonly byLine = new Map<number, Rejection>();
  private unlisted = 0;

  add(line: number, reasons: string[], certificateNo?: string): void {
    const safeReasons = reasons.map(maskIdNumbersAnywhere);
    const listed = this.byLine.get(line);
    if (listed) {
      listed.reasons.push(...safeReasons);
    } else if (this.byLine.size >= MAX_LISTED_REJECTIONS) {
      this.unlisted += 1;
    } else {
      this.byLine.set(line, { line, certificateNo: certificateNo === undefined ? undefined : maskIdNumbersAnywhere(certificateNo), reasons: safeReasons });
    }
  }

  get count(): number {
    return this.byLine.size + this.unlisted;
  }

  get any(): boolean {
    return this.count > 0;
  }

  list(): Rejection[] {
    return [...this.byLine.values()].sort((a, b) => a.line - b.line);
  }
}
