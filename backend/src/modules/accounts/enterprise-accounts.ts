import type { PolicySettings } from '@ce/types';
import { EnterpriseAccountModel } from './data';

export interface EnterpriseIdentity {
  uscc: string;
  name: string;
  province: string;
}

export function enterpriseLoginId(enterprise: EnterpriseIdentity, settings: PolicySettings): string {
  return settings.accounts.enterpriseLoginBy === 'name' ? enterprise.name : enterprise.uscc;
}

/**
 * Makes sure the enterprise has an account under the identifier its province logs in with. When that
 * identifier is the name and the name changed, the new name gets a new account and the old one is marked
 * RENAMED, so logging in with the old name says where to go. Idempotent.
 */
export async function syncEnterpriseAccount(enterprise: EnterpriseIdentity, settings: PolicySettings): Promise<void> {
  const loginId = enterpriseLoginId(enterprise, settings);
  await EnterpriseAccountModel.updateOne(
    { province: enterprise.province, loginId },
    {
      $setOnInsert: { enterpriseUscc: enterprise.uscc, createdAt: new Date() },
      $set: { enterpriseName: enterprise.name, status: 'ACTIVE' },
      $unset: { renamedTo: 1 },
    },
    { upsert: true },
  );
  await EnterpriseAccountModel.updateMany(
    { province: enterprise.province, enterpriseUscc: enterprise.uscc, loginId: { $ne: loginId }, status: 'ACTIVE' },
    { $set: { status: 'RENAMED', renamedTo: enterprise.name } },
  );
}
