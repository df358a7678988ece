import { EnrollmentModel } from '../../backend/src/modules/enrollment';
import { useTestBackend } from '../helpers/backend';
import { createClass, enterpriseReady, importRecords, operatorReady } from '../helpers/journeys';
import { certificate, enterprise } from '../helpers/records';

const api = useTestBackend();
const owner = enterprise(801, 'SD');

test('when 8 enrollments of one certificate arrive at once, exactly one is created and none answers 5xx', async () => {
  const record = certificate(owner, { expiryDate: addMonthsFromToday(3) });
  await importRecords([record], api.running.deps);
  const classId = await createClass(api, await operatorReady(api), { province: 'SD', name: '并发C类班', category: 'C' });
  const token = await enterpriseReady(api, 'SD', owner.name, owner.uscc);
  const employees = await api.call('GET', '/api/enterprise/employees', { token });
  const certificateId = employees.body.items[0].certificateId;

  const answers = await Promise.all(
    Array.from({ length: 8 }, () => api.call('POST', '/api/enterprise/enrollments', { token, body: { classId, certificateIds: [certificateId] } })),
  );

  const statuses = answers.map((a) => a.status).sort();
  expect(statuses.filter((s) => s >= 500)).toEqual([]);
  expect(statuses.filter((s) => s === 201)).toHaveLength(1);
  expect(statuses.every((s) => s === 201 || s === 409 || s === 422)).toBe(true);
  for (const refused of answers.filter((a) => a.status !== 201)) expect(refused.body.message).toMatch(/[\u4e00-\u9fa5]/);
  expect(await EnrollmentModel.countDocuments({ certificateNo: record.certificateNo })).toBe(1);
});

function addMonthsFromToday(months: number): string {
  const d = new Date();
  d.setMonth(d.getMonth() + months);
  return d.toISOString().slice(0, 10);
}
