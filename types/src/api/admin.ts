import { z } from 'zod';
import { PROVINCES } from '../enums';
import { policySettings, provincePolicy } from '../policy';

export const policyListResponse = z.object({ items: z.array(provincePolicy) });
export const provinceParams = z.strictObject({ province: z.enum(PROVINCES) });
export const effectivePolicyQuery = z.strictObject({ city: z.string().trim().min(1).max(20).optional() });
export const effectivePolicyResponse = z.object({ province: z.enum(PROVINCES), city: z.string().optional(), settings: policySettings });
