import { effectiveSettings, mergeSettings, policySettings, type PolicyOverride, type PolicySettings, type ProvinceCode } from '@ce/types';
import { AppError } from '../../platform/errors';
import { PolicyModel } from './data';
import { getPolicy } from './policies';

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Paths in the override that the settings do not have (`__proto__` and friends included): each is refused by name. */
function unknownPaths(base: unknown, override: Record<string, unknown>, prefix = ''): string[] {
  return Object.entries(override).flatMap(([key, value]) => {
    const path = prefix ? `${prefix}.${key}` : key;
    if (!isPlainObject(base) || !Object.hasOwn(base, key)) return [path];
    const inner = (base as Record<string, unknown>)[key];
    return isPlainObject(value) && isPlainObject(inner) ? unknownPaths(inner, value, path) : [];
  });
}

/**
 * Sets what one city changes from its province's settings (replacing its previous differences). The override
 * must use the settings' own names, and the settings it produces must be valid; otherwise nothing changes.
 */
export async function setCityOverride(province: ProvinceCode, city: string, override: Record<string, unknown>): Promise<PolicySettings> {
  const policy = await getPolicy(province);
  const unknown = unknownPaths(policy.settings, override);
  if (unknown.length) throw new AppError('VALIDATION_FAILED', { where: 'body', issues: unknown.map((path) => ({ path: `override.${path}`, message: '没有这项政策设置' })) });
  const merged = policySettings.safeParse(mergeSettings(policy.settings, override));
  if (!merged.success) {
    throw new AppError('VALIDATION_FAILED', { where: 'body', issues: merged.error.issues.map((i) => ({ path: ['override', ...i.path].join('.'), message: i.message })) });
  }
  await PolicyModel.updateOne({ province }, { $set: { [`cityOverrides.${city}`]: override as PolicyOverride } });
  return effectiveSettings(await getPolicy(province), city);
}
