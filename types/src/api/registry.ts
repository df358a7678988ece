import { z } from 'zod';
import { A_KINDS, CERTIFICATE_CATEGORIES, CERTIFICATE_STATUSES, PROVINCES } from '../enums';
import { enterpriseNameField, idNumberField, localDateField, personNameField, usccField } from '../fields';

/** CSV cells arrive as text: an empty cell (or null in JSON) means the field is absent. */
const blankAsAbsent = (v: unknown) => (v === '' || v === null ? undefined : v);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankAsAbsent, schema.optional());

/** JSON booleans, or CSV 'true'/'false'/'1'/'0'/'' (empty = not busy). */
const busyFlag = z.preprocess((v) => {
  if (v === undefined || v === null || v === '') return false;
  if (v === 'true' || v === '1' || v === 1) return true;
  if (v === 'false' || v === '0' || v === 0) return false;
  return v;
}, z.boolean({ error: '是否办理其他业务应为 true/false 或 1/0' }));

/** No certificate in these registries runs longer than this from its issue date; a later expiry is a typo. */
export const MAX_CERTIFICATE_VALIDITY_YEARS = 10;

function yearsAfter(date: string, years: number): string {
  return String(Number(date.slice(0, 4)) + years).padStart(4, '0') + date.slice(4);
}

/**
 * One certificate as the provincial registry exports it. JSON lines and CSV carry the same fields (CSV
 * headers are these names); CSV values arrive as text, so empty means absent and booleans may be 1/0.
 */
export const certificateRecord = z
  .strictObject({
    certificateNo: z.string({ error: '缺少证书编号' }).trim().min(1, '缺少证书编号').max(50, '证书编号过长'),
    // a long run of digits in a name is a misplaced ID or phone number: it would be shown and stored in clear
    name: personNameField.refine((v) => !/\d{6}/.test(v), { message: '姓名含有一长串数字（是否误填了证件号码？）' }),
    idNumber: idNumberField,
    category: z.enum(CERTIFICATE_CATEGORIES, { error: `证书类别不正确（应为 ${CERTIFICATE_CATEGORIES.join('/')}）` }),
    jobType: optional(z.string().trim().max(30, '岗位/工种过长')),
    subCategory: optional(z.string().trim().max(30, '专业方向过长')),
    aKind: optional(z.enum(A_KINDS, { error: 'A证类型不正确（应为 MAIN 主A证 或 ADDITIONAL 增发A证）' })),
    issueDate: localDateField,
    expiryDate: localDateField,
    status: z.enum(CERTIFICATE_STATUSES, { error: `证书状态不正确（应为 ${CERTIFICATE_STATUSES.join('/')}）` }),
    busy: busyFlag,
    enterpriseName: enterpriseNameField,
    enterpriseUscc: usccField,
    province: z.enum(PROVINCES, { error: `省份不正确（应为 ${PROVINCES.join('/')}）` }),
    city: z.string({ error: '缺少城市' }).trim().min(1, '缺少城市').max(20, '城市名称过长'),
    constructorEnterpriseUscc: optional(usccField),
    constructorValidUntil: optional(localDateField),
  })
  .superRefine((r, ctx) => {
    if (r.expiryDate <= r.issueDate) ctx.addIssue({ code: 'custom', path: ['expiryDate'], message: '有效期截止日须晚于发证日期' });
    if (r.expiryDate > yearsAfter(r.issueDate, MAX_CERTIFICATE_VALIDITY_YEARS)) {
      ctx.addIssue({ code: 'custom', path: ['expiryDate'], message: `有效期截止日距发证日期超过${MAX_CERTIFICATE_VALIDITY_YEARS}年，请核对` });
    }
    if (r.category === 'A' && !r.aKind) ctx.addIssue({ code: 'custom', path: ['aKind'], message: 'A类证书须注明主A证或增发A证（MAIN/ADDITIONAL）' });
    if ((r.constructorEnterpriseUscc === undefined) !== (r.constructorValidUntil === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['constructorEnterpriseUscc'], message: '建造师注册单位与注册有效期须同时填写或同时留空' });
    }
  });
export type CertificateRecord = z.output<typeof certificateRecord>;
