import { effectiveSettings, provincePolicy, type PolicySettings, type ProvinceCode, type ProvincePolicy } from '@ce/types';
import { AppError } from '../../platform/errors';
import { PolicyModel } from './data';
import { BUILT_IN_PROFILES } from './profiles';

function toPolicy(doc: unknown): ProvincePolicy {
  const { province, name, settings, cityOverrides, categories } = doc as ProvincePolicy;
  return provincePolicy.parse({ province, name, settings, cityOverrides, categories });
}

/** Adds any built-in profile that is missing; never overwrites what an operator has changed. */
export async function seedBuiltInPolicies(): Promise<void> {
  for (const profile of BUILT_IN_PROFILES) {
    await PolicyModel.updateOne({ province: profile.province }, { $setOnInsert: profile }, { upsert: true });
  }
}

export async function listPolicies(): Promise<ProvincePolicy[]> {
  const docs = await PolicyModel.find().sort({ province: 1 }).lean();
  return docs.map(toPolicy);
}

export async function getPolicy(province: string): Promise<ProvincePolicy> {
  const doc = await PolicyModel.findOne({ province: province as ProvinceCode }).lean();
  if (!doc) throw new AppError('PROVINCE_NOT_SUPPORTED');
  return toPolicy(doc);
}

/** The settings in force for a city: the province's profile with the city's overrides applied. */
export async function settingsFor(province: ProvinceCode | string, city?: string): Promise<PolicySettings> {
  return effectiveSettings(await getPolicy(province), city);
}
