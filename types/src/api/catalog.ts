import { z } from 'zod';
import { CERTIFICATE_CATEGORIES, PROVINCES } from '../enums';
import { nameText } from '../fields';

/** 新建学习班: an operator creates classes for its own province, in a category the province serves. */
export const createClassRequest = z.strictObject({
  province: z.enum(PROVINCES),
  name: nameText('学习班名称', 2, 60),
  category: z.enum(CERTIFICATE_CATEGORIES),
  jobType: nameText('岗位/工种', 1, 30).optional(),
  subCategory: nameText('专业方向', 1, 30).optional(),
  feeFen: z.number().int().min(0).max(10_000_000),
});
export type CreateClassRequest = z.output<typeof createClassRequest>;
