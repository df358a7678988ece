import { z } from 'zod';
import { PROVINCES } from '../enums';
import { policySettings, provincePolicy } from '../policy';

export const policyListResponse = z.object({ items: z.array(provincePolicy) });
export const provinceParams = z.strictObject({ province: z.enum(PROVINCES) });
export const effectivePolicyQuery = z.strictObject({ city: z.string().trim().min(1).max(20).optional() });
export const effectivePolicyResponse = z.object({ province: z.enum(PROVINCES), city: z.string().optional(), settings: policySettings });

/** 地市差异: an operator sets the settings one city changes (any part of the province's settings). */
export const cityPolicyParams = z.strictObject({ province: z.enum(PROVINCES), city: z.string().trim().min(2).max(20).regex(/^[^.$]+$/, '地市名称不能含 . 或 $') });
export const cityOverrideRequest = z.strictObject({
  /** The settings that differ from the province's, in the settings' own shape; `{}` removes the city's differences. */
  override: z.record(z.string(), z.unknown()),
});
