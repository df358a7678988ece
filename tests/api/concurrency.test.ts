import { EnrollmentModel } from '../../backend/src/modules/enrollment';
import { useTestBackend } from '../helpers/backend';
import { createClass, enterpriseReady, importRecords, operatorReady } from '../helpers/journeys';
import { certificate, enterprise, monthsFromToday } from '../helpers/records';

const api = useTestBackend();
const owner = enterprise(801, 'SD');
const RACES = 3;
const records = Array.from({ length: RACES }, () => certificate(owner, { expiryDate: monthsFromToday(3) }));
let token: string;
let classId: string;

beforeAll(async () => {
  await importRecords(records, api.running.deps);
  classId = await createClass(api, await operatorReady(api), { province: 'SD', name: '并发C类班', category: 'C' });
  token = await enterpriseReady(api, 'SD', owner.name, owner.uscc);
});

test.each(records.map((r, i) => [i + 1, r] as const))(
  'when 8 enrollments of one certificate arrive at once (race %i), exactly one is created and none answers 5xx',
  async (_race, record) => {
    const employees = await api.call('GET', `/api/enterprise/employees?q=${encodeURIComponent(record.name)}`, { token });
    const certificateId = employees.body.items.find((i: { certificateNo: string }) => i.certificateNo === record.certificateNo).certificateId;

    const answers = await Promise.all(
      Array.from({ length: 8 }, () => api.call('POST', '/api/enterprise/enrollments', { token, body: { classId, certificateIds: [certificateId] } })),
    );

    // "status code" per answer, so a failure shows what every request was told.
    const told = answers.map((a) => `${a.status} ${a.body?.code ?? ''}`.trim());
    expect(told.filter((t) => t.startsWith('5'))).toEqual([]);
    expect({ told, created: told.filter((t) => t === '201').length }).toMatchObject({ created: 1 });
    expect(told.filter((t) => !/^(201|409 CONFLICT|422 ENROLLMENT_REJECTED)$/.test(t))).toEqual([]);
    for (const refused of answers.filter((a) => a.status !== 201)) expect(refused.body.message).toMatch(/[\u4e00-\u9fa5]/);
    expect(await EnrollmentModel.countDocuments({ certificateNo: record.certificateNo })).toBe(1);
  },
);
