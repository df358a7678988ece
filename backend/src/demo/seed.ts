import { registryListener } from '../composition';
import { today } from '../platform/clock';
import type { Deps } from '../platform/http/route';
import { EnterpriseAccountModel, createStaffAccount } from '../modules/accounts';
import { ClassModel } from '../modules/catalog';
import { EnrollmentModel, enrollCertificates } from '../modules/enrollment';
import { seedQuestionBank } from '../modules/exams';
import { setCityOverride } from '../modules/policy';
import { CertificateModel, EnterpriseModel, importCertificates } from '../modules/registry';
import { seedDemoContent } from './content';
import { buildDemoDataset, DEMO_CLASSES, DEMO_ENTERPRISES, HAIYUE_FORMER_NAME, type DemoRecord } from './dataset';
import { seedPaidStudy } from './paid-study';
import { DEMO_QUESTIONS } from './question-bank';

/** The class the study learner is enrolled in and paid for. */
const STUDY_CLASS = DEMO_CLASSES.find((c) => c.province === 'SD' && c.category === 'C')!.name;

export interface DemoLogins {
  enterprises: { province: string; account: string; password: string; note: string }[];
  /** Binds with name + ID number + the initial password: a provisional (未核验) binding. */
  learner: { name: string; idNumber: string; password: string };
  /** Binds with name + ID number + an activation code that 济南鲁安 generates for them: verified (已核验). */
  codeLearner: { name: string; idNumber: string; certificateNo: string };
  /** A Yunnan learner (云南滇建) who enrolls and pays alone: 我的报名 → 自己报名缴费. */
  selfLearner: { name: string; idNumber: string; password: string; certificateNo: string };
  /** A 青岛海岳 learner whose enrollment (with lesson videos) the seed has paid: binds and studies at once. */
  studyLearner: { name: string; idNumber: string; password: string; className: string };
  staff: { username: string; password: string; role: string; scope: string }[];
}

/** Demo staff passwords are public, so the first login still forces a change, as for every account. */
const DEMO_STAFF = [
  { username: 'reviewer.jinan', role: 'reviewer' as const, province: 'SD', city: '济南市', password: 'Review2026demo' },
  { username: 'reviewer.qingdao', role: 'reviewer' as const, province: 'SD', city: '青岛市', password: 'Review2026demo' },
  { username: 'operator.sd', role: 'operator' as const, province: 'SD', password: 'Operate2026demo' },
];

async function importDemo(records: DemoRecord[], deps: Deps) {
  async function* lines() {
    for (const record of records) yield JSON.stringify(record);
  }
  return importCertificates({ lines: lines(), format: 'jsonl' }, { deps, listener: registryListener, trigger: 'demo' });
}

async function seedClasses(deps: Deps): Promise<void> {
  for (const klass of DEMO_CLASSES) {
    await ClassModel.updateOne({ province: klass.province, name: klass.name }, { $setOnInsert: { ...klass, active: true } }, { upsert: true });
    const { _id } = (await ClassModel.findOne({ province: klass.province, name: klass.name }, { _id: 1 }).lean())!;
    await seedQuestionBank(_id, DEMO_QUESTIONS, deps);
  }
}

/**
 * The demo lessons last 20–40 s, so in the study learner's city (青岛市) study photos are asked for every 15–30 s
 * of watching instead of every 10–20 minutes: a newcomer sees the capture and can reach the photo coverage.
 */
async function seedDemoCityPolicy(): Promise<void> {
  await setCityOverride('SD', DEMO_ENTERPRISES.haiyue.city, { photos: { captureEverySeconds: { min: 15, max: 30 } } });
}

/** A second seeding finds the staff there already (unique username): that is fine. */
async function seedStaff(): Promise<void> {
  for (const staff of DEMO_STAFF) await createStaffAccount(staff).catch((error: { code?: number }) => (error?.code === 11000 ? undefined : Promise.reject(error)));
}

async function preEnroll(certificateNos: string[], deps: Deps): Promise<void> {
  const { luan } = DEMO_ENTERPRISES;
  const certificates = await CertificateModel.find({ certificateNo: { $in: certificateNos } }).lean();
  const pending = [];
  for (const c of certificates) if (!(await EnrollmentModel.exists({ certificateId: c._id, cycleExpiry: c.expiryDate }))) pending.push(String(c._id));
  if (!pending.length) return;
  const klass = await ClassModel.findOne({ province: 'SD', category: 'C' }).lean();
  const account = await EnterpriseAccountModel.findOne({ province: 'SD', enterpriseUscc: luan.uscc }).lean();
  await enrollCertificates({ enterpriseUscc: luan.uscc, province: 'SD', accountId: String(account!._id), classId: String(klass!._id), certificateIds: pending }, deps);
}

/**
 * Seeds the demo: registry (with a rename and a transfer), classes with their content and videos, staff, two
 * enrollments awaiting payment and one paid. Safe to run again.
 */
export async function seedDemo(deps: Deps): Promise<DemoLogins> {
  const dataset = buildDemoDataset(today(deps.clock));
  if (!(await EnterpriseModel.exists({ uscc: DEMO_ENTERPRISES.haiyue.uscc }))) await importDemo(dataset.beforeRename, deps);
  await importDemo(dataset.records, deps);
  await seedClasses(deps);
  await seedDemoCityPolicy();
  await seedDemoContent([...DEMO_CLASSES], deps);
  await seedStaff();
  await preEnroll(dataset.preEnrolled, deps);
  await seedPaidStudy(dataset.studyLearner.certificateNo, STUDY_CLASS, deps);

  const { luan, haiyue, dianjian, luxinYantai } = DEMO_ENTERPRISES;
  return {
    enterprises: [
      { province: 'SD', account: luan.name, password: luan.uscc, note: '山东 · 按企业全称登录，初始密码为统一社会信用代码' },
      { province: 'SD', account: haiyue.name, password: haiyue.uscc, note: `山东 · 已更名（原「${HAIYUE_FORMER_NAME}」，用旧名登录会提示新名称）` },
      {
        province: 'SD',
        account: luxinYantai.name,
        password: luxinYantai.uscc,
        note: `山东 · 与威海的一家企业同名：登录时会要求再填统一社会信用代码（烟台这家为 ${luxinYantai.uscc}）`,
      },
      { province: 'YN', account: dianjian.uscc, password: dianjian.uscc.slice(-6), note: '云南 · 按统一社会信用代码登录，初始密码为账号后6位（字母不区分大小写）' },
    ],
    learner: { name: dataset.learner.name, idNumber: dataset.learner.idNumber, password: '12345678' },
    codeLearner: { name: dataset.codeLearner.name, idNumber: dataset.codeLearner.idNumber, certificateNo: dataset.codeLearner.certificateNo },
    selfLearner: { name: dataset.selfLearner.name, idNumber: dataset.selfLearner.idNumber, password: '12345678', certificateNo: dataset.selfLearner.certificateNo },
    studyLearner: { name: dataset.studyLearner.name, idNumber: dataset.studyLearner.idNumber, password: '12345678', className: STUDY_CLASS },
    staff: DEMO_STAFF.map((s) => ({ username: s.username, password: s.password, role: s.role, scope: s.city ?? s.province })),
  };
}
