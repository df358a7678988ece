import { makeIdNumber, makeUscc } from './fixtures';

export interface EnterpriseFixture {
  name: string;
  uscc: string;
  province: 'SD' | 'YN';
  city: string;
}

export function enterprise(seed: number, province: 'SD' | 'YN' = 'SD', city = province === 'SD' ? '济南市' : '昆明市'): EnterpriseFixture {
  return { name: `${city}第${seed}建筑工程有限公司`, uscc: makeUscc(seed), province, city };
}

let certificateSeq = 0;

/** One registry record (the import format) for a valid, current certificate; override what the test is about. */
export type RecordFixture = Record<string, unknown> & { certificateNo: string; idNumber: string; name: string };

export function certificate(owner: EnterpriseFixture, overrides: Record<string, unknown> = {}): RecordFixture {
  const seq = ++certificateSeq;
  return {
    certificateNo: `${owner.province}-T-${String(seq).padStart(6, '0')}`,
    name: `学员${seq}`,
    idNumber: makeIdNumber(seq),
    category: 'C',
    issueDate: '2023-06-01',
    expiryDate: '2027-01-20',
    status: 'VALID',
    busy: false,
    enterpriseName: owner.name,
    enterpriseUscc: owner.uscc,
    province: owner.province,
    city: owner.city,
    ...overrides,
  };
}

/** A date `months` from today (YYYY-MM-DD), e.g. a certificate expiry inside the enrollment window. */
export function monthsFromToday(months: number): string {
  const d = new Date();
  d.setMonth(d.getMonth() + months);
  return d.toISOString().slice(0, 10);
}
