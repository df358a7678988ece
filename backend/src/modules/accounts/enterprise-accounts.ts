import type { AnyBulkWriteOperation } from 'mongoose';
import { processNow } from '../../platform/clock';
import type { EnterpriseSeen } from '../registry';
import { EnterpriseAccountModel, type EnterpriseAccountDoc } from './data';

/**
 * How an enterprise name is compared at login: full-width letters, digits and brackets read as their
 * half-width forms (（）→ ()), spaces are ignored, Latin letters compare without case.
 */
export function enterpriseNameKey(name: string): string {
  return name.normalize('NFKC').replace(/\s+/gu, '').toUpperCase();
}

function accountKey(province: string, uscc: string): string {
  return `${province}|${uscc}`;
}

/** After a rename the old name joins the former ones, and the new name is no longer "former". */
function formerNameKeysAfter(account: EnterpriseAccountDoc, newKey: string): string[] {
  const keys = account.nameKey === newKey ? account.formerNameKeys : [...account.formerNameKeys, account.nameKey];
  return [...new Set(keys)].filter((k) => k !== newKey);
}

function changeFor(seen: EnterpriseSeen, before: EnterpriseAccountDoc | undefined, now: Date): AnyBulkWriteOperation<EnterpriseAccountDoc> | undefined {
  const nameKey = enterpriseNameKey(seen.name);
  if (!before) {
    return {
      updateOne: {
        filter: { province: seen.province, enterpriseUscc: seen.uscc },
        update: { $set: { enterpriseName: seen.name, nameKey, city: seen.city }, $setOnInsert: { formerNameKeys: [], createdAt: now } },
        upsert: true,
      },
    };
  }
  if (before.enterpriseName === seen.name && before.city === seen.city) return undefined;
  return {
    updateOne: {
      filter: { _id: before._id },
      update: { $set: { enterpriseName: seen.name, nameKey, city: seen.city, formerNameKeys: formerNameKeysAfter(before, nameKey) } },
    },
  };
}

/**
 * The registry's listener for enterprises an import saw: every enterprise gets one account per province and
 * credit code (same-name enterprises each get their own); a rename changes the login name and keeps the
 * password. One read, one bulk write.
 */
export async function syncEnterpriseAccounts(seen: EnterpriseSeen[]): Promise<void> {
  const latest = new Map<string, EnterpriseSeen>();
  for (const enterprise of seen) latest.set(accountKey(enterprise.province, enterprise.uscc), enterprise);
  if (!latest.size) return;
  const existing = await EnterpriseAccountModel.find({ enterpriseUscc: { $in: [...new Set(seen.map((e) => e.uscc))] } }).lean();
  const byKey = new Map(existing.map((a) => [accountKey(a.province, a.enterpriseUscc), a]));
  const now = processNow();
  const ops = [...latest].map(([key, enterprise]) => changeFor(enterprise, byKey.get(key), now)).filter((op) => op !== undefined);
  if (ops.length) await EnterpriseAccountModel.bulkWrite(ops, { ordered: false });
}

/** The account id of an enterprise in a province (demo data and other modules refer to accounts by id). */
export async function enterpriseAccountId(province: string, uscc: string): Promise<string | undefined> {
  const account = await EnterpriseAccountModel.findOne({ province, enterpriseUscc: uscc }).lean();
  return account ? String(account._id) : undefined;
}
