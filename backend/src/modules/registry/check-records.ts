import { createHash } from 'node:crypto';
import { certificateRecord, type CertificateRecord, type LocalDate } from '@ce/types';
import type { z } from 'zod';
import { keyedHash } from '../../platform/crypto';
import type { RawRecord } from './read-records';
import type { Rejections } from './rejections';

/** A line that passed every check that needs only the file itself. */
export interface CheckedRecord {
  line: number;
  record: CertificateRecord;
  idHash: string;
  /** Hash of the imported content: an identical re-import is recognised as unchanged. */
  contentHash: string;
}

/** The first line that named the holder of an ID number. */
interface Holder {
  name: string;
  line: number;
  flagged: boolean;
}

const HAS_CHINESE = /[\u4e00-\u9fa5]/;

export function contentHashOf(record: CertificateRecord, idHash: string): string {
  const { idNumber: _raw, ...rest } = record;
  const canonical = Object.keys(rest)
    .sort()
    .map((k) => [k, (rest as Record<string, unknown>)[k]]);
  return createHash('sha256').update(JSON.stringify([idHash, canonical])).digest('hex');
}

function reasonsOf(error: z.ZodError): string[] {
  return error.issues.map((issue) =>
    issue.code === 'unrecognized_keys'
      ? `不支持的字段：${issue.keys.join('、')}`
      : `${issue.path.join('.') || '记录'}：${HAS_CHINESE.test(issue.message) ? issue.message : '缺失或格式不正确'}`,
  );
}

/**
 * Checks each line on its own (the record schema, plausible dates) and against the lines before it (a
 * certificate number twice, one ID number under two names). Remembers one entry per certificate and per
 * holder, never the records themselves.
 */
export class RecordChecker {
  private readonly holders = new Map<string, Holder>();
  private readonly certificateLines = new Map<string, number>();

  constructor(
    private readonly idHashKey: Buffer,
    private readonly today: LocalDate,
    private readonly rejections: Rejections,
  ) {}

  check(raw: RawRecord): CheckedRecord | undefined {
    const certificateNo = typeof raw.fields?.certificateNo === 'string' ? raw.fields.certificateNo : undefined;
    if (raw.problems) return void this.rejections.add(raw.line, raw.problems, certificateNo);
    const parsed = certificateRecord.safeParse(raw.fields);
    if (!parsed.success) return void this.rejections.add(raw.line, reasonsOf(parsed.error), certificateNo);

    const record = parsed.data;
    const idHash = keyedHash(this.idHashKey, record.idNumber);
    const reasons = [...this.implausibleDates(record), ...this.repeatedCertificate(record, raw.line), ...this.otherName(record, idHash, raw.line)];
    if (reasons.length) return void this.rejections.add(raw.line, reasons, record.certificateNo);
    return { line: raw.line, record, idHash, contentHash: contentHashOf(record, idHash) };
  }

  private implausibleDates(record: CertificateRecord): string[] {
    return record.issueDate > this.today ? [`发证日期 ${record.issueDate} 晚于今天（${this.today}），请核对`] : [];
  }

  private repeatedCertificate(record: CertificateRecord, line: number): string[] {
    const first = this.certificateLines.get(record.certificateNo);
    if (first === undefined) {
      this.certificateLines.set(record.certificateNo, line);
      return [];
    }
    return [`证书编号与第 ${first} 行重复（同一证书在文件中只能出现一次）`];
  }

  /** One person, one name: the earlier line is reported too, once. */
  private otherName(record: CertificateRecord, idHash: string, line: number): string[] {
    const holder = this.holders.get(idHash);
    if (!holder) {
      this.holders.set(idHash, { name: record.name, line, flagged: false });
      return [];
    }
    if (holder.name === record.name) return [];
    if (!holder.flagged) {
      holder.flagged = true;
      this.rejections.add(holder.line, [`同一身份证号在第 ${line} 行的姓名为「${record.name}」，与本行「${holder.name}」不一致`]);
    }
    return [`同一身份证号在第 ${holder.line} 行的姓名为「${holder.name}」，与本行「${record.name}」不一致`];
  }
}
