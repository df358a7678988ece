import { CertificateModel, EnterpriseModel } from '../../backend/src/modules/registry/data';
import { useTestBackend } from '../helpers/backend';
import { importRecords, operatorReady } from '../helpers/journeys';
import { certificate, enterprise } from '../helpers/records';

const api = useTestBackend();
const deps = () => api.running.deps;

describe('data that names what plain objects already hold', () => {
  test.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('when a city is named %s, then the file is applied and its enterprise can log in', async (city) => {
    const owner = enterprise(980 + city.length, 'SD', city);
    const summary = await importRecords([certificate(owner), certificate(owner)], deps());
    expect(summary).toMatchObject({ outcome: 'SUCCEEDED', created: 2 });
    expect(await EnterpriseModel.findOne({ uscc: owner.uscc }).lean()).toMatchObject({ city });
    expect(await CertificateModel.countDocuments({ city })).toBe(2);
    const login = await api.call('POST', '/api/auth/enterprise/login', { body: { province: 'SD', account: owner.name, password: owner.uscc } });
    expect(login.status).toBe(200);
  });

  test('when an operator asks for the policy in force in a city named constructor, then it is the province\'s', async () => {
    const token = await operatorReady(api, 'SD');
    const province = await api.call('GET', '/api/admin/policies/SD/effective', { token });
    for (const city of ['constructor', '__proto__', 'toString']) {
      const res = await api.call('GET', `/api/admin/policies/SD/effective?city=${city}`, { token });
      expect([city, res.status]).toEqual([city, 200]);
      expect(res.body.settings).toEqual(province.body.settings);
    }
  });
});
