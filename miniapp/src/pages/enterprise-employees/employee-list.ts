import { ELIGIBILITY_REASONS, type EmployeeCertificate } from '@ce/types';

export type Filter = 'all' | 'eligible' | 'blocked';

export interface ClassView {
  /** Certificates of the class's category: the ones the clerk is here for. */
  concerned: EmployeeCertificate[];
  /** Certificates of other categories (CLASS_MISMATCH): shown apart, never counted. */
  otherCategory: EmployeeCertificate[];
}

export interface Counts {
  total: number;
  eligible: number;
  blocked: number;
  byReason: { code: string; label: string; count: number }[];
}

const OTHER_CATEGORY = 'CLASS_MISMATCH';

export function reasonLabel(code: string): string {
  return (ELIGIBILITY_REASONS as Record<string, string>)[code] ?? code;
}

export function isSelectable(item: EmployeeCertificate): boolean {
  return item.eligible && !item.enrollment;
}

/** Splits the server's list (every certificate of the enterprise) into this class's and the others. */
export function splitByClass(items: EmployeeCertificate[]): ClassView {
  const view: ClassView = { concerned: [], otherCategory: [] };
  for (const item of items) (item.reasons.some((r) => r.code === OTHER_CATEGORY) ? view.otherCategory : view.concerned).push(item);
  return view;
}

/** Counts over the class's own certificates only, reasons most frequent first. */
export function countsOf(items: EmployeeCertificate[]): Counts {
  const byReason = new Map<string, number>();
  for (const item of items) for (const r of item.reasons) byReason.set(r.code, (byReason.get(r.code) ?? 0) + 1);
  const eligible = items.filter((i) => i.eligible).length;
  return {
    total: items.length,
    eligible,
    blocked: items.length - eligible,
    byReason: [...byReason.entries()].sort((a, b) => b[1] - a[1]).map(([code, count]) => ({ code, label: reasonLabel(code), count })),
  };
}

export function applyFilter(items: EmployeeCertificate[], filter: Filter, reason: string): EmployeeCertificate[] {
  return items.filter((i) => (filter === 'all' || (filter === 'eligible') === i.eligible) && (!reason || i.reasons.some((r) => r.code === reason)));
}

/** After a refresh, keeps ticked only those still selectable and not just refused. */
export function pruneSelection(selected: Record<string, EmployeeCertificate>, fresh: EmployeeCertificate[], refused: Set<string>): Record<string, EmployeeCertificate> {
  const next: Record<string, EmployeeCertificate> = {};
  for (const item of fresh) if (selected[item.certificateId] && isSelectable(item) && !refused.has(item.certificateId)) next[item.certificateId] = item;
  return next;
}
