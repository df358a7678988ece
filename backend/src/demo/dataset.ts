import { addDays, addMonths, idNumberCheckChar, usccCheckChar, type LocalDate } from '@ce/types';

/**
 * Demo registry data, dated relative to "today" so every eligibility reason shows on any day the demo runs.
 * All people and enterprises are invented; ID numbers and credit codes are valid by their check digits only.
 */
function idNumber(seq: number, region: string): string {
  const birth = `19${60 + (seq % 30)}${String((seq % 12) + 1).padStart(2, '0')}${String((seq % 27) + 1).padStart(2, '0')}`;
  const first17 = region + birth + String(seq).padStart(3, '0');
  return first17 + idNumberCheckChar(first17);
}

function uscc(body9: string, region: string): string {
  const first17 = `91${region}${body9}`;
  return first17 + usccCheckChar(first17);
}

export interface DemoEnterprise {
  name: string;
  uscc: string;
  province: 'SD' | 'YN';
  city: string;
}

/** Two Shandong enterprises registered under the same name (Shandong logs in by name: ACCOUNT_AMBIGUOUS). */
export const SHARED_NAME = '鲁信建设工程有限公司';

export const DEMO_ENTERPRISES = {
  luan: { name: '济南鲁安建筑工程有限公司', uscc: uscc('MA3C4L5N8', '370100'), province: 'SD', city: '济南市' },
  luxinYantai: { name: SHARED_NAME, uscc: uscc('MA3F2K8B5', '370600'), province: 'SD', city: '烟台市' },
  luxinWeihai: { name: SHARED_NAME, uscc: uscc('MA3G6N1D7', '371000'), province: 'SD', city: '威海市' },
  qitai: { name: '淄博齐泰建设集团有限公司', uscc: uscc('MA3D7P2Q1', '370300'), province: 'SD', city: '淄博市' },
  haiyue: { name: '青岛海岳建设集团有限公司', uscc: uscc('MA3E9R6T4', '370200'), province: 'SD', city: '青岛市' },
  dianjian: { name: '云南滇建工程有限公司', uscc: uscc('MA6K2W8X3', '530100'), province: 'YN', city: '昆明市' },
  yuxi: { name: '玉溪红塔建筑安装有限公司', uscc: uscc('MA6L5Y7H9', '530400'), province: 'YN', city: '玉溪市' },
} satisfies Record<string, DemoEnterprise>;

/** The Qingdao enterprise was renamed: the registry first knew it under this name. */
export const HAIYUE_FORMER_NAME = '青岛海岳建筑安装有限公司';

const SURNAMES = '张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈';
const GIVEN = ['建国', '志强', '秀英', '海涛', '桂兰', '国华', '永红', '德明', '春梅', '立新', '玉兰', '卫东', '丽华', '振华', '淑珍', '明亮', '红霞', '金山'];

export type DemoRecord = Record<string, unknown> & { certificateNo: string; idNumber: string; name: string };

/**
 * Certificate numbers as the provinces print them: 鲁建安C(2023)0012345 (Shandong 安管人员 A/B/C),
 * 云建安A(2022)… (Yunnan A/B), 云建特(2022)… (特种作业), 云建岗(2022)… (现场专业人员 岗位证书). The year and
 * serial depend only on the record's position, so re-seeding on another day updates the same certificates.
 */
function certificateNumber(province: 'SD' | 'YN', category: string, seq: number): string {
  const prefix = province === 'SD' ? '鲁建安' : '云建';
  const kind = { A: '安A', B: '安B', C: '安C', SPECIAL_OPS: '特', SITE_PRO: '岗' }[category] ?? category;
  const year = 2021 + (seq % 4);
  const serial = String(12000 + seq * 379).padStart(7, '0');
  return province === 'SD' ? `${prefix}${category}(${year})${serial}` : `${prefix}${kind}(${year})${serial}`;
}

export interface DemoDataset {
  records: DemoRecord[];
  /** The first import knows the Qingdao enterprise under its former name; the second brings the rename. */
  beforeRename: DemoRecord[];
  /** Learner who logs in during the demo (already enrolled by the seed). */
  learner: DemoRecord;
  /** A second 鲁安 employee, for binding with an activation code the enterprise generates. */
  codeLearner: DemoRecord;
  /** Certificates the seed enrolls (so 已报名 and a learner's enrollment show). */
  preEnrolled: string[];
  /** A 云南滇建 employee who enrolls and pays alone (Yunnan allows personal enrollment): 自己报名缴费. */
  selfLearner: DemoRecord;
  /** A 青岛海岳 employee whose enrollment the seed pays: binds and studies at once. */
  studyLearner: DemoRecord;
}

export function buildDemoDataset(today: LocalDate): DemoDataset {
  let seq = 0;
  const records: DemoRecord[] = [];
  const add = (owner: DemoEnterprise, fields: Record<string, unknown>): DemoRecord => {
    seq += 1;
    const region = owner.province === 'SD' ? '370102' : '530102';
    const record: DemoRecord = {
      certificateNo: certificateNumber(owner.province, String(fields.category ?? 'C'), seq),
      name: SURNAMES[seq % SURNAMES.length] + GIVEN[seq % GIVEN.length],
      idNumber: idNumber(seq, region),
      category: 'C',
      issueDate: addMonths(today, -30),
      expiryDate: addMonths(today, 3),
      status: 'VALID',
      busy: false,
      enterpriseName: owner.name,
      enterpriseUscc: owner.uscc,
      province: owner.province,
      city: owner.city,
      ...fields,
    };
    records.push(record);
    return record;
  };
  const { luan, qitai, haiyue, dianjian, yuxi, luxinYantai, luxinWeihai } = DEMO_ENTERPRISES;
  const in_ = (days: number) => addDays(today, days);

  // 济南鲁安: eight who can enroll now, and one of each reason.
  const learner = add(luan, { name: '张建国', expiryDate: addMonths(today, 2) });
  const codeLearner = add(luan, { name: '李秀英', expiryDate: addMonths(today, 3) });
  for (const months of [2, 3, 4, 4, 5, 5]) add(luan, { expiryDate: addMonths(today, months) });
  add(luan, { expiryDate: addMonths(today, 8) }); // TOO_EARLY
  add(luan, { expiryDate: addMonths(today, 11) }); // TOO_EARLY
  add(luan, { expiryDate: in_(10) }); // NOT_ENOUGH_TIME
  add(luan, { expiryDate: in_(-5) }); // EXPIRED
  add(luan, { expiryDate: in_(-40) }); // EXPIRED
  add(luan, { status: 'SUSPENDED' }); // CERTIFICATE_NOT_VALID
  add(luan, { busy: true }); // BUSY_WITH_OTHER_BUSINESS
  const alreadyEnrolled = add(luan, { expiryDate: addMonths(today, 4) }); // ALREADY_ENROLLED (seed enrolls it)
  add(luan, { category: 'A', aKind: 'MAIN', expiryDate: addMonths(today, 3) });
  add(luan, { category: 'A', aKind: 'ADDITIONAL', expiryDate: addMonths(today, 3) }); // ADDITIONAL_A_CERTIFICATE
  add(luan, { category: 'B', constructorEnterpriseUscc: luan.uscc, constructorValidUntil: addMonths(today, 18) });
  add(luan, { category: 'B' }); // CONSTRUCTOR_REGISTRATION_MISSING
  add(luan, { category: 'B', constructorEnterpriseUscc: luan.uscc, constructorValidUntil: in_(-20) }); // lapsed: MISSING
  add(luan, { category: 'B', constructorEnterpriseUscc: qitai.uscc, constructorValidUntil: addMonths(today, 12) }); // OTHER_ENTERPRISE
  // Moved from 鲁安 to 齐泰: 鲁安 sees NOT_CURRENT_ENTERPRISE after the second import.
  const transferred = add(luan, { expiryDate: addMonths(today, 3) });

  // 淄博齐泰 (offline-exam city: window 9 months, a month's lead time).
  for (const months of [2, 4, 7, 8]) add(qitai, { expiryDate: addMonths(today, months) });
  add(qitai, { expiryDate: in_(25) }); // NOT_ENOUGH_TIME here, fine in 济南
  add(qitai, { expiryDate: addMonths(today, 10) }); // TOO_EARLY even here
  add(qitai, { category: 'A', aKind: 'MAIN', expiryDate: addMonths(today, 5) });

  // 青岛海岳 (renamed).
  for (const months of [1, 2, 3, 5, 7, 9]) add(haiyue, { expiryDate: addMonths(today, months) });

  // 鲁信 ×2: same name, different credit codes and cities.
  for (const months of [2, 4]) add(luxinYantai, { expiryDate: addMonths(today, months) });
  for (const months of [3, 5]) add(luxinWeihai, { expiryDate: addMonths(today, months) });

  // 云南滇建 and 玉溪红塔.
  add(dianjian, { category: 'A', aKind: 'MAIN', expiryDate: addMonths(today, 2) });
  add(dianjian, { category: 'B', expiryDate: addMonths(today, 3) });
  add(dianjian, { category: 'SPECIAL_OPS', jobType: '建筑电工', expiryDate: addMonths(today, 2) });
  add(dianjian, { category: 'SPECIAL_OPS', jobType: '建筑架子工', expiryDate: addMonths(today, 4) });
  add(dianjian, { category: 'SITE_PRO', jobType: '施工员', subCategory: '土建', expiryDate: addMonths(today, 3) });
  add(dianjian, { category: 'SITE_PRO', jobType: '施工员', subCategory: '装饰', expiryDate: addMonths(today, 3) });
  add(dianjian, { category: 'SITE_PRO', jobType: '质量员', subCategory: '市政', expiryDate: addMonths(today, 9) });
  add(dianjian, { category: 'A', aKind: 'MAIN', expiryDate: in_(5) });
  add(dianjian, { category: 'A', aKind: 'ADDITIONAL', expiryDate: addMonths(today, 2) });
  add(yuxi, { category: 'B', expiryDate: addMonths(today, 1) });
  add(yuxi, { category: 'SPECIAL_OPS', jobType: '建筑电工', expiryDate: addMonths(today, 5) });
  add(yuxi, { category: 'A', aKind: 'MAIN', expiryDate: in_(-3) });
  add(yuxi, { category: 'SITE_PRO', jobType: '施工员', subCategory: '土建', expiryDate: addMonths(today, 2) });
  // Added last, so the records before keep their numbers.
  const selfLearner = add(dianjian, { name: '段春梅', category: 'A', aKind: 'MAIN', expiryDate: addMonths(today, 3) });
  const studyLearner = add(haiyue, { name: '孙立新', expiryDate: addMonths(today, 4) });

  const beforeRename = records.map((r) => (r.enterpriseUscc === haiyue.uscc ? { ...r, enterpriseName: HAIYUE_FORMER_NAME } : r));
  const afterTransfer = records.map((r) => (r === transferred ? { ...r, enterpriseName: qitai.name, enterpriseUscc: qitai.uscc, city: qitai.city } : r));
  return { records: afterTransfer, beforeRename, learner, codeLearner, preEnrolled: [learner.certificateNo, alreadyEnrolled.certificateNo], selfLearner, studyLearner };
}

/** 学习班 per province and category, with fees in fen. */
export const DEMO_CLASSES = [
  { province: 'SD', name: '2026年度A类人员继续教育班', category: 'A', feeFen: 26000 },
  { province: 'SD', name: '2026年度B类人员继续教育班', category: 'B', feeFen: 26000 },
  { province: 'SD', name: '2026年度C类人员继续教育班', category: 'C', feeFen: 24000 },
  { province: 'YN', name: 'A证继续教育班', category: 'A', feeFen: 20000 },
  { province: 'YN', name: 'B证继续教育班', category: 'B', feeFen: 20000 },
  { province: 'YN', name: '建筑电工继续教育班', category: 'SPECIAL_OPS', jobType: '建筑电工', feeFen: 15000 },
  { province: 'YN', name: '建筑架子工继续教育班', category: 'SPECIAL_OPS', jobType: '建筑架子工', feeFen: 15000 },
  { province: 'YN', name: '施工员（土建）继续教育班', category: 'SITE_PRO', jobType: '施工员', subCategory: '土建', feeFen: 18000 },
  { province: 'YN', name: '施工员（装饰）继续教育班', category: 'SITE_PRO', jobType: '施工员', subCategory: '装饰', feeFen: 18000 },
  { province: 'YN', name: '质量员（市政）继续教育班', category: 'SITE_PRO', jobType: '质量员', subCategory: '市政', feeFen: 18000 },
] as const;
