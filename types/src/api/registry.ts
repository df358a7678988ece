import { z } from 'zod';
import { A_KINDS, CERTIFICATE_CATEGORIES, CERTIFICATE_STATUSES, PROVINCES } from '../enums';
import { idNumberField, localDateField, personNameField, usccField } from '../fields';

/**
 * One record of the provincial certificate export. JSON lines and CSV carry the same field names (the CSV
 * header row names the columns). In CSV every value is text; an empty cell counts as "not given".
 */
export const CERTIFICATE_RECORD_FIELDS = [
  'certificateNo',
  'name',
  'idNumber',
  'category',
  'jobType',
  'subCategory',
  'aKind',
  'issueDate',
  'expiryDate',
  'status',
  'busy',
  'enterpriseName',
  'enterpriseUscc',
  'province',
  'city',
  'constructorEnterpriseUscc',
  'constructorValidUntil',
] as const;
export type CertificateRecordField = (typeof CERTIFICATE_RECORD_FIELDS)[number];

/** Chinese names of the fields, used to prefix every rejection reason. */
export const CERTIFICATE_RECORD_LABELS: Record<CertificateRecordField, string> = {
  certificateNo: '证书编号',
  name: '姓名',
  idNumber: '身份证号码',
  category: '证书类别',
  jobType: '岗位/工种',
  subCategory: '专业方向',
  aKind: 'A证类型',
  issueDate: '发证日期',
  expiryDate: '有效期至',
  status: '证书状态',
  busy: '是否办理其他业务',
  enterpriseName: '企业名称',
  enterpriseUscc: '企业统一社会信用代码',
  province: '省份',
  city: '城市',
  constructorEnterpriseUscc: '建造师注册单位统一社会信用代码',
  constructorValidUntil: '建造师注册有效期至',
};

/** "Missing" and "wrong type" in Chinese, for a field whose own rule says what a good value looks like. */
function required(what: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined || issue.input === null ? '缺少此项' : `应为${what}`);
}

const text = (max: number) => z.string({ error: required('文本') }).trim().min(1, '缺少此项').max(max, `不能超过${max}个字`);
const optionalText = (max: number) => z.string({ error: required('文本') }).trim().max(max, `不能超过${max}个字`).optional();

const busyField = z.preprocess(
  (v) => {
    if (v === undefined || v === null || v === '') return false;
    if (typeof v !== 'string') return v;
    const s = v.trim().toLowerCase();
    return s === 'true' || s === '1' ? true : s === 'false' || s === '0' || s === '' ? false : v;
  },
  z.boolean({ error: '应为 true/false 或 1/0' }),
);

const enumOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: (issue) => (issue.input === undefined || issue.input === null ? '缺少此项' : `应为 ${values.join('、')} 之一`) });

const recordShape = z.object(
  {
    certificateNo: text(50),
    name: z.string({ error: required('文本') }).pipe(personNameField),
    idNumber: z.string({ error: required('文本') }).pipe(idNumberField),
    category: enumOf(CERTIFICATE_CATEGORIES),
    jobType: optionalText(30),
    subCategory: optionalText(30),
    aKind: enumOf(A_KINDS).optional(),
    issueDate: z.string({ error: required('日期') }).pipe(localDateField),
    expiryDate: z.string({ error: required('日期') }).pipe(localDateField),
    status: enumOf(CERTIFICATE_STATUSES),
    busy: busyField,
    enterpriseName: text(100).pipe(z.string().min(2, '至少2个字')),
    enterpriseUscc: z.string({ error: required('文本') }).pipe(usccField),
    province: enumOf(PROVINCES),
    city: text(20),
    constructorEnterpriseUscc: z.string({ error: required('文本') }).pipe(usccField).optional(),
    constructorValidUntil: z.string({ error: required('日期') }).pipe(localDateField).optional(),
  },
  { error: '每行应为一个对象（JSON 对象或 CSV 数据行）' },
);

type RecordShape = z.output<typeof recordShape>;

/** Rules that involve more than one field. */
function checkRecordRules(r: RecordShape, ctx: z.RefinementCtx): void {
  if (r.expiryDate <= r.issueDate) ctx.addIssue({ code: 'custom', path: ['expiryDate'], message: '有效期至应晚于发证日期' });
  if (r.category === 'A' && !r.aKind) ctx.addIssue({ code: 'custom', path: ['aKind'], message: 'A类证书须注明 MAIN（主A证）或 ADDITIONAL（增发A证）' });
  if (r.category !== 'A' && r.aKind) ctx.addIssue({ code: 'custom', path: ['aKind'], message: '仅A类证书填写此项' });
  const constructorGiven = [r.constructorEnterpriseUscc, r.constructorValidUntil].filter((v) => v !== undefined).length;
  if (constructorGiven === 1) {
    const missing = r.constructorEnterpriseUscc === undefined ? 'constructorEnterpriseUscc' : 'constructorValidUntil';
    ctx.addIssue({ code: 'custom', path: [missing], message: '建造师注册单位与注册有效期须同时填写或同时留空' });
  }
  if (constructorGiven > 0 && r.category !== 'B') {
    ctx.addIssue({ code: 'custom', path: ['constructorEnterpriseUscc'], message: '仅B类证书填写建造师注册信息' });
  }
}

/** Empty cells and nulls mean "not given", so optional fields may be left blank in CSV. */
function blanksToUndefined(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (v === null || (typeof v === 'string' && v.trim() === '')) continue;
    out[key] = v;
  }
  return out;
}

/** One import record (a JSON line, or a CSV row keyed by the header). Unknown fields are ignored. */
export const certificateRecord = z.preprocess(blanksToUndefined, recordShape.superRefine(checkRecordRules));
export type CertificateRecord = z.output<typeof certificateRecord>;

/** Zod issues as `字段：原因` lines, in Chinese, without echoing the submitted value. */
export function describeRecordIssues(error: z.ZodError): string[] {
  const reasons = error.issues.map((issue) => {
    const field = issue.path[0];
    const label = typeof field === 'string' ? CERTIFICATE_RECORD_LABELS[field as CertificateRecordField] ?? field : undefined;
    return label ? `${label}：${issue.message}` : issue.message;
  });
  return [...new Set(reasons)];
}
