import { z } from 'zod';
import { CERTIFICATE_CATEGORIES, CERTIFICATE_STATUSES, PROVINCES } from '../enums';
import { idNumberField, personNameField } from '../fields';

export const provinceInfo = z.object({
  code: z.enum(PROVINCES),
  name: z.string(),
  enterpriseLoginBy: z.enum(['name', 'uscc']),
  enterpriseLoginLabel: z.string(),
  /** Where the enterprise's initial password comes from, e.g. 统一社会信用代码 / 账号后6位（字母不区分大小写）. */
  enterpriseInitialPasswordHint: z.string(),
  /** Where a learner's initial password comes from, and what binding with it means. */
  learnerInitialPasswordHint: z.string(),
  categories: z.array(z.object({ code: z.enum(CERTIFICATE_CATEGORIES), label: z.string() })),
});
export const provinceListResponse = z.object({ items: z.array(provinceInfo) });
export type ProvinceInfo = z.infer<typeof provinceInfo>;

export const certificateQueryRequest = z.strictObject({
  name: personNameField,
  idNumber: idNumberField,
  category: z.enum(CERTIFICATE_CATEGORIES),
});

/** The public answer: validity and status only, nothing else about the holder. */
export const certificateQueryResponse = z.object({
  items: z.array(
    z.object({
      certificateNo: z.string(),
      categoryLabel: z.string(),
      status: z.enum([...CERTIFICATE_STATUSES, 'EXPIRED'] as const),
      statusLabel: z.string(),
      expiryDate: z.string(),
      valid: z.boolean(),
    }),
  ),
});
export type CertificateQueryResponse = z.infer<typeof certificateQueryResponse>;
