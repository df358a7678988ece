import { createHash } from 'node:crypto';
import { certificateRecord, maskIdNumber, type CertificateRecord, type PolicySettings } from '@ce/types';
import { Types, type AnyBulkWriteOperation } from 'mongoose';
import { encrypt, keyedHash } from '../../platform/crypto';
import type { Deps } from '../../platform/http/route';
import { syncEnterpriseAccount } from '../accounts/enterprise-accounts';
import { settingsFor } from '../policy/policies';
import { CertificateModel, EnterpriseModel, PersonModel, SyncRunModel, type CertificateDoc, type EnterpriseDoc } from './data';
import { readRecords, type RawRecord, type RegistrySource } from './read-records';

export interface Rejection {
  line: number;
  certificateNo?: string;
  reasons: string[];
}

export interface ImportSummary {
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  rejections: Rejection[];
}

export interface ImportOptions {
  deps: Pick<Deps, 'config' | 'clock' | 'logger'>;
  trigger: 'cli' | 'schedule' | 'demo';
  onProgress?(bytesRead: number): void;
}

const BATCH_SIZE = 1000;

interface ValidRecord {
  line: number;
  record: CertificateRecord;
  idHash: string;
  contentHash: string;
}

/** What one import run remembers across batches: settings per city, enterprises whose accounts are synced. */
interface RunState {
  options: ImportOptions;
  summary: ImportSummary;
  settings: Map<string, Promise<PolicySettings>>;
  accountsSynced: Set<string>;
}

function contentHashOf(record: CertificateRecord, idHash: string): string {
  const { idNumber: _raw, ...rest } = record;
  const canonical = Object.keys(rest)
    .sort()
    .map((k) => [k, (rest as Record<string, unknown>)[k]]);
  return createHash('sha256').update(JSON.stringify([idHash, canonical])).digest('hex');
}

function reject(state: RunState, line: number, reasons: string[], certificateNo?: string): void {
  state.summary.rejected += 1;
  state.summary.rejections.push({ line, certificateNo, reasons });
}

function validate(raw: RawRecord, state: RunState): ValidRecord | undefined {
  const certificateNo = typeof raw.fields?.certificateNo === 'string' ? raw.fields.certificateNo : undefined;
  if (raw.error) return void reject(state, raw.line, [raw.error], certificateNo);
  const parsed = certificateRecord.safeParse(raw.fields);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((i) => (i.code === 'unrecognized_keys' ? `不支持的字段：${i.keys.join('、')}` : `${i.path.join('.') || '记录'}：${/[\u4e00-\u9fa5]/.test(i.message) ? i.message : '缺失或格式不正确'}`));
    return void reject(state, raw.line, reasons, certificateNo);
  }
  const idHash = keyedHash(state.options.deps.config.idHashKey, parsed.data.idNumber);
  return { line: raw.line, record: parsed.data, idHash, contentHash: contentHashOf(parsed.data, idHash) };
}

/** Within one batch the later line for a certificate wins; the earlier one is reported, not applied. */
function lastPerCertificate(batch: ValidRecord[], state: RunState): ValidRecord[] {
  const latest = new Map<string, ValidRecord>();
  for (const item of batch) {
    const earlier = latest.get(item.record.certificateNo);
    if (earlier) reject(state, earlier.line, [`证书编号在第 ${item.line} 行再次出现，以后出现的一行为准`], earlier.record.certificateNo);
    latest.set(item.record.certificateNo, item);
  }
  return [...latest.values()];
}

async function upsertPersons(items: ValidRecord[], state: RunState): Promise<Map<string, Types.ObjectId>> {
  const { config } = state.options.deps;
  const hashes = [...new Set(items.map((i) => i.idHash))];
  const existing = await PersonModel.find({ idHash: { $in: hashes } }).lean();
  const ids = new Map(existing.map((p) => [p.idHash, p._id]));
  const names = new Map(existing.map((p) => [p.idHash, p.name]));
  const ops: AnyBulkWriteOperation[] = [];
  for (const { record, idHash } of items) {
    if (!ids.has(idHash)) {
      const _id = new Types.ObjectId();
      ids.set(idHash, _id);
      names.set(idHash, record.name);
      ops.push({ insertOne: { document: { _id, idHash, idCipher: encrypt(config.idEncryptionKey, record.idNumber), idMasked: maskIdNumber(record.idNumber), name: record.name } } });
    } else if (names.get(idHash) !== record.name) {
      names.set(idHash, record.name);
      ops.push({ updateOne: { filter: { idHash }, update: { $set: { name: record.name } } } });
    }
  }
  if (ops.length) await PersonModel.bulkWrite(ops, { ordered: true });
  return ids;
}

async function settingsOf(state: RunState, province: string, city: string): Promise<PolicySettings> {
  const key = `${province}/${city}`;
  if (!state.settings.has(key)) state.settings.set(key, settingsFor(province, city));
  return state.settings.get(key)!;
}

/** Enterprises by credit code; a new name is a rename (the old name is kept, the account follows policy). */
async function upsertEnterprises(items: ValidRecord[], state: RunState): Promise<void> {
  const latest = new Map<string, CertificateRecord>();
  for (const { record } of items) latest.set(record.enterpriseUscc, record);
  const existing = new Map((await EnterpriseModel.find({ uscc: { $in: [...latest.keys()] } }).lean()).map((e) => [e.uscc, e] as [string, EnterpriseDoc]));
  const now = state.options.deps.clock.now();
  const ops: AnyBulkWriteOperation[] = [];
  const changed: CertificateRecord[] = [];
  for (const [uscc, record] of latest) {
    const before = existing.get(uscc);
    const renamed = before && before.name !== record.enterpriseName;
    if (!before || renamed || before.city !== record.city) {
      const formerNames = renamed ? [...new Set([...before.formerNames, before.name])].filter((n) => n !== record.enterpriseName) : (before?.formerNames ?? []);
      ops.push({
        updateOne: {
          filter: { uscc },
          update: { $set: { name: record.enterpriseName, formerNames, province: record.province, city: record.city, syncedAt: now } },
          upsert: true,
        },
      });
    }
    if (!before || renamed || !state.accountsSynced.has(uscc)) changed.push(record);
  }
  if (ops.length) await EnterpriseModel.bulkWrite(ops, { ordered: true });
  for (const record of changed) {
    await syncEnterpriseAccount({ uscc: record.enterpriseUscc, name: record.enterpriseName, province: record.province }, await settingsOf(state, record.province, record.city));
    state.accountsSynced.add(record.enterpriseUscc);
  }
}

function certificateFields(item: ValidRecord, personId: Types.ObjectId, now: Date) {
  const r = item.record;
  const set: Partial<CertificateDoc> = {
    certificateNo: r.certificateNo,
    personId,
    idHash: item.idHash,
    holderName: r.name,
    category: r.category,
    issueDate: r.issueDate,
    expiryDate: r.expiryDate,
    status: r.status,
    busy: r.busy,
    enterpriseUscc: r.enterpriseUscc,
    province: r.province,
    city: r.city,
    contentHash: item.contentHash,
    syncedAt: now,
  };
  const unset: Record<string, 1> = {};
  const optional = {
    jobType: r.jobType,
    subCategory: r.subCategory,
    aKind: r.aKind,
    constructorRegistration: r.constructorEnterpriseUscc ? { enterpriseUscc: r.constructorEnterpriseUscc, validUntil: r.constructorValidUntil! } : undefined,
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value === undefined) unset[key] = 1;
    else (set as Record<string, unknown>)[key] = value;
  }
  return { set, unset };
}

async function applyBatch(batch: ValidRecord[], state: RunState): Promise<void> {
  const items = lastPerCertificate(batch, state);
  const existing = new Map(
    (await CertificateModel.find({ certificateNo: { $in: items.map((i) => i.record.certificateNo) } }).lean()).map((c) => [c.certificateNo, c] as [string, CertificateDoc]),
  );
  const accepted: ValidRecord[] = [];
  for (const item of items) {
    const before = existing.get(item.record.certificateNo);
    if (before && before.idHash !== item.idHash) reject(state, item.line, ['证书编号已属于其他持证人'], item.record.certificateNo);
    else if (before && before.contentHash === item.contentHash) state.summary.unchanged += 1;
    else accepted.push(item);
  }
  if (!accepted.length) return;

  const personIds = await upsertPersons(accepted, state);
  await upsertEnterprises(accepted, state);
  const now = state.options.deps.clock.now();
  const ops: AnyBulkWriteOperation[] = accepted.map((item) => {
    const before = existing.get(item.record.certificateNo);
    const { set, unset } = certificateFields(item, personIds.get(item.idHash)!, now);
    if (before && before.enterpriseUscc !== item.record.enterpriseUscc) {
      set.previousEnterpriseUscc = before.enterpriseUscc;
      set.transferredAt = now;
    }
    if (!before) {
      state.summary.created += 1;
      return { insertOne: { document: set } };
    }
    state.summary.updated += 1;
    const update = Object.keys(unset).length ? { $set: set, $unset: unset } : { $set: set };
    return { updateOne: { filter: { _id: before._id }, update } };
  });
  await CertificateModel.bulkWrite(ops, { ordered: false });
}

/**
 * 证书同步: imports a provincial registry export. Each line is validated before anything of it is written;
 * a bad line is reported with its line number and reasons. Re-importing the same data changes nothing.
 */
export async function importCertificates(source: RegistrySource, options: ImportOptions): Promise<ImportSummary> {
  const state: RunState = {
    options,
    summary: { created: 0, updated: 0, unchanged: 0, rejected: 0, rejections: [] },
    settings: new Map(),
    accountsSynced: new Set(),
  };
  const run = await SyncRunModel.create({ source: 'path' in source ? source.path : 'stream', trigger: options.trigger, startedAt: options.deps.clock.now() });
  let batch: ValidRecord[] = [];
  for await (const raw of readRecords(source, options.onProgress)) {
    const valid = validate(raw, state);
    if (valid) batch.push(valid);
    if (batch.length >= BATCH_SIZE) {
      await applyBatch(batch, state);
      batch = [];
    }
  }
  if (batch.length) await applyBatch(batch, state);
  const { rejections: _list, ...counts } = state.summary;
  await SyncRunModel.updateOne({ _id: run._id }, { $set: { finishedAt: options.deps.clock.now(), summary: counts } });
  options.deps.logger.info({ trigger: options.trigger, ...counts }, 'certificate import finished');
  return state.summary;
}
