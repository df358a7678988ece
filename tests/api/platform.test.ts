import mongoose from 'mongoose';
import { CertificateModel } from '../../backend/src/modules/registry/data';
import { EnrollmentModel } from '../../backend/src/modules/enrollment/data';
import { EnterpriseAccountModel } from '../../backend/src/modules/accounts/data';
import { useTestBackend } from '../helpers/backend';

const api = useTestBackend();

test('when the service is up, then /healthz and /readyz say so', async () => {
  expect((await api.call('GET', '/healthz')).body).toEqual({ status: 'ok' });
  expect((await api.call('GET', '/readyz')).body).toEqual({ status: 'ready' });
});

test('when the OpenAPI document is read, then every route is there and says who may call it', async () => {
  const doc = (await api.call('GET', '/openapi.json')).body;
  expect(doc.openapi).toBe('3.1.0');
  const operations = Object.values(doc.paths as Record<string, Record<string, { 'x-audience': string }>>).flatMap((p) => Object.values(p));
  expect(operations.length).toBeGreaterThanOrEqual(15);
  for (const op of operations) expect(op['x-audience']).toMatch(/^(public|[a-z, ]+)$/);
  expect(doc.paths['/api/enterprise/enrollments'].post['x-audience']).toBe('enterprise');
  const page = await fetch(api.url + '/docs');
  expect(await page.text()).toContain('/openapi.json');
  expect((await fetch(api.url + '/docs/assets/swagger-ui-bundle.js')).status).toBe(200);
});

describe('indexes are built at start', () => {
  const doc = () => ({
    certificateNo: 'DUP-0001', personId: new mongoose.Types.ObjectId(), idHash: 'h', holderName: 'x', category: 'C' as const, issueDate: '2024-01-01',
    expiryDate: '2027-01-01', status: 'VALID' as const, enterpriseUscc: 'u', province: 'SD', city: '济南市', contentHash: 'c', syncedAt: new Date(),
  });

  test('when a certificate number is inserted twice, then the second is refused', async () => {
    await CertificateModel.create(doc());
    await expect(CertificateModel.create(doc())).rejects.toMatchObject({ code: 11000 });
    expect(await CertificateModel.countDocuments({ certificateNo: 'DUP-0001' })).toBe(1);
  });

  test('when the same certificate is enrolled twice in one cycle, then the second is refused', async () => {
    const e = {
      certificateId: new mongoose.Types.ObjectId(), cycleExpiry: '2027-01-01', classId: new mongoose.Types.ObjectId(), className: 'c', personId: new mongoose.Types.ObjectId(),
      enterpriseUscc: 'u', enterpriseName: 'n', certificateNo: 'x', category: 'C' as const, holderName: 'h', idMasked: 'm', feeFen: 1, status: 'AWAITING_PAYMENT' as const, enrolledBy: 'a', createdAt: new Date(),
    };
    await EnrollmentModel.create(e);
    await expect(EnrollmentModel.create({ ...e, _id: undefined })).rejects.toMatchObject({ code: 11000 });
  });

  test('when two enterprise accounts claim one login in a province, then the second is refused', async () => {
    const a = { province: 'SD', loginId: '同名公司', enterpriseUscc: 'u1', enterpriseName: '同名公司', status: 'ACTIVE' as const };
    await EnterpriseAccountModel.create(a);
    await expect(EnterpriseAccountModel.create({ ...a, enterpriseUscc: 'u2' })).rejects.toMatchObject({ code: 11000 });
  });
});
