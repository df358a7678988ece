import { maskIdNumber, type CertificateRecord } from '@ce/types';
import { Types } from 'mongoose';
import { encrypt } from '../../platform/crypto';
import type { CheckedRecord } from './check-records';
import { CertificateModel, EnterpriseModel, PersonModel, type ConstructorRegistration } from './data';
import type { EnterpriseSeen } from './index';
import type { Rejections } from './rejections';

/**
 * What one batch will write, decided by reading the database before anything is written. Plain JSON (ids
 * as hex strings, no dates: the apply step stamps them), so it can be staged in a file between the passes.
 */
export interface PlannedBatch {
  persons: PersonWrite[];
  enterprises: EnterpriseWrite[];
  /** What the listener is told when the batch is applied: enterprises created, renamed or moved. */
  seen: EnterpriseSeen[];
  certificates: CertificateWrite[];
}

export interface NewPerson {
  _id: string;
  idHash: string;
  idCipher: string;
  idMasked: string;
  name: string;
}
export type PersonWrite = { insert: NewPerson } | { rename: { _id: string; name: string } };

export interface EnterpriseState {
  uscc: string;
  name: string;
  formerNames: string[];
  province: string;
  city: string;
}
export type EnterpriseWrite = { insert: EnterpriseState } | { update: EnterpriseState };

/** A certificate's imported fields; an optional field left out is removed from a stored certificate. */
export interface CertificateFields {
  certificateNo: string;
  personId: string;
  idHash: string;
  holderName: string;
  category: string;
  jobType?: string;
  subCategory?: string;
  aKind?: string;
  issueDate: string;
  expiryDate: string;
  status: string;
  busy: boolean;
  enterpriseUscc: string;
  province: string;
  city: string;
  constructorRegistration?: ConstructorRegistration;
  contentHash: string;
}
export const OPTIONAL_CERTIFICATE_FIELDS = ['jobType', 'subCategory', 'aKind', 'constructorRegistration'] as const;
export type CertificateWrite = { insert: CertificateFields } | { update: { _id: string; fields: CertificateFields; transferredFrom?: string } };

export interface PlanCounts {
  created: number;
  updated: number;
  unchanged: number;
}

interface StoredCertificate {
  _id: Types.ObjectId;
  idHash: string;
  contentHash: string;
  enterpriseUscc: string;
}

interface Accepted {
  item: CheckedRecord;
  before?: StoredCertificate;
}

function certificateFields({ record: r, idHash, contentHash }: CheckedRecord, personId: string): CertificateFields {
  const fields: CertificateFields = {
    certificateNo: r.certificateNo,
    personId,
    idHash,
    holderName: r.name,
    category: r.category,
    issueDate: r.issueDate,
    expiryDate: r.expiryDate,
    status: r.status,
    busy: r.busy,
    enterpriseUscc: r.enterpriseUscc,
    province: r.province,
    city: r.city,
    contentHash,
  };
  if (r.jobType !== undefined) fields.jobType = r.jobType;
  if (r.subCategory !== undefined) fields.subCategory = r.subCategory;
  if (r.aKind !== undefined) fields.aKind = r.aKind;
  if (r.constructorEnterpriseUscc !== undefined) fields.constructorRegistration = { enterpriseUscc: r.constructorEnterpriseUscc, validUntil: r.constructorValidUntil! };
  return fields;
}

/** Within a batch the last line for an enterprise says what it is now. */
function latestPerEnterprise(accepted: Accepted[]): Map<string, CertificateRecord> {
  const latest = new Map<string, CertificateRecord>();
  for (const { item } of accepted) latest.set(item.record.enterpriseUscc, item.record);
  return latest;
}

/**
 * Plans batches in file order, with one `$in` read per collection per batch. Remembers, across batches,
 * the persons it has resolved and the enterprises as the planned writes leave them, so a later batch
 * neither reads them again nor plans them twice.
 */
export class BatchPlanner {
  readonly counts: PlanCounts = { created: 0, updated: 0, unchanged: 0 };
  private readonly personIds = new Map<string, string>();
  private readonly enterprises = new Map<string, EnterpriseState>();

  constructor(
    private readonly idEncryptionKey: Buffer,
    private readonly rejections: Rejections,
  ) {}

  async plan(batch: CheckedRecord[]): Promise<PlannedBatch> {
    const accepted = await this.changedCertificates(batch);
    const [persons, { enterprises, seen }] = await Promise.all([this.planPersons(accepted), this.planEnterprises(accepted)]);
    return { persons, enterprises, seen, certificates: this.planCertificates(accepted) };
  }

  /** After the file is known bad nothing is planned, but certificates held by another person are still reported. */
  async checkHolders(batch: CheckedRecord[]): Promise<void> {
    await this.changedCertificates(batch);
  }

  /** New and changed certificates; unchanged ones are counted, ones held by another person refused. */
  private async changedCertificates(batch: CheckedRecord[]): Promise<Accepted[]> {
    const stored = await CertificateModel.find({ certificateNo: { $in: batch.map((i) => i.record.certificateNo) } }, { certificateNo: 1, idHash: 1, contentHash: 1, enterpriseUscc: 1 }).lean();
    const byNumber = new Map(stored.map((c) => [c.certificateNo, c as StoredCertificate]));
    const accepted: Accepted[] = [];
    for (const item of batch) {
      const before = byNumber.get(item.record.certificateNo);
      if (before && before.idHash !== item.idHash) this.rejections.add(item.line, ['证书编号已属于其他持证人'], item.record.certificateNo);
      else if (before && before.contentHash === item.contentHash) this.counts.unchanged += 1;
      else accepted.push({ item, before });
    }
    return accepted;
  }

  private async planPersons(accepted: Accepted[]): Promise<PersonWrite[]> {
    const unresolved = [...new Set(accepted.map(({ item }) => item.idHash).filter((h) => !this.personIds.has(h)))];
    if (!unresolved.length) return [];
    const stored = new Map((await PersonModel.find({ idHash: { $in: unresolved } }, { idHash: 1, name: 1 }).lean()).map((p) => [p.idHash, p]));
    const writes: PersonWrite[] = [];
    for (const { item } of accepted) {
      const { idHash, record } = item;
      if (this.personIds.has(idHash)) continue;
      const found = stored.get(idHash);
      if (found) {
        this.personIds.set(idHash, String(found._id));
        if (found.name !== record.name) writes.push({ rename: { _id: String(found._id), name: record.name } });
      } else {
        const _id = new Types.ObjectId().toHexString();
        this.personIds.set(idHash, _id);
        writes.push({ insert: { _id, idHash, idCipher: encrypt(this.idEncryptionKey, record.idNumber), idMasked: maskIdNumber(record.idNumber), name: record.name } });
      }
    }
    return writes;
  }

  /** Enterprises by credit code; a new name is a rename (the old name is kept in formerNames). */
  private async planEnterprises(accepted: Accepted[]): Promise<{ enterprises: EnterpriseWrite[]; seen: EnterpriseSeen[] }> {
    const latest = latestPerEnterprise(accepted);
    const unknown = [...latest.keys()].filter((uscc) => !this.enterprises.has(uscc));
    if (unknown.length) {
      for (const e of await EnterpriseModel.find({ uscc: { $in: unknown } }, { uscc: 1, name: 1, formerNames: 1, province: 1, city: 1 }).lean()) {
        this.enterprises.set(e.uscc, { uscc: e.uscc, name: e.name, formerNames: e.formerNames ?? [], province: e.province, city: e.city });
      }
    }
    const enterprises: EnterpriseWrite[] = [];
    const seen: EnterpriseSeen[] = [];
    for (const [uscc, record] of latest) {
      const before = this.enterprises.get(uscc);
      const after: EnterpriseState = { uscc, name: record.enterpriseName, formerNames: before?.formerNames ?? [], province: record.province, city: record.city };
      if (before && before.name === after.name && before.city === after.city && before.province === after.province) continue;
      const renamed = before !== undefined && before.name !== after.name;
      if (renamed) after.formerNames = [...new Set([...before.formerNames, before.name])].filter((n) => n !== after.name);
      enterprises.push(before ? { update: after } : { insert: after });
      seen.push({ uscc, name: after.name, province: after.province, city: after.city, ...(renamed ? { formerName: before.name } : {}) });
      this.enterprises.set(uscc, after);
    }
    return { enterprises, seen };
  }

  private planCertificates(accepted: Accepted[]): CertificateWrite[] {
    return accepted.map(({ item, before }) => {
      const fields = certificateFields(item, this.personIds.get(item.idHash)!);
      if (!before) {
        this.counts.created += 1;
        return { insert: fields };
      }
      this.counts.updated += 1;
      const transferredFrom = before.enterpriseUscc !== fields.enterpriseUscc ? before.enterpriseUscc : undefined;
      return { update: { _id: String(before._id), fields, ...(transferredFrom ? { transferredFrom } : {}) } };
    });
  }
}
