import { useTestBackend } from '../helpers/backend';
import { operatorReady } from '../helpers/journeys';

const api = useTestBackend();
const QINGDAO = `/api/admin/policies/SD/cities/${encodeURIComponent('青岛市')}`;
const effectiveIn = (city: string, token: string) => api.call('GET', `/api/admin/policies/SD/effective?city=${encodeURIComponent(city)}`, { token });

describe('an operator sets what one city does differently', () => {
  let shandong: string;
  let yunnan: string;
  beforeAll(async () => {
    shandong = await operatorReady(api, 'SD');
    yunnan = await operatorReady(api, 'YN');
  });

  test('when a Shandong operator shortens Qingdao’s photo interval, then Qingdao’s effective settings change and the province’s do not', async () => {
    const res = await api.call('PUT', QINGDAO, { token: shandong, body: { override: { photos: { captureEverySeconds: { min: 20, max: 40 } } } } });
    expect(res.status).toBe(200);
    expect(res.body.settings.photos).toMatchObject({ captureEverySeconds: { min: 20, max: 40 }, keptPerTopic: 2, coveragePercent: 60 });
    expect((await effectiveIn('青岛市', shandong)).body.settings.photos.captureEverySeconds).toEqual({ min: 20, max: 40 });
    expect((await effectiveIn('济南市', shandong)).body.settings.photos.captureEverySeconds).toEqual({ min: 600, max: 1200 });
  });

  test('when the override names a setting that does not exist, or makes the settings invalid, then it is refused by path and nothing changes', async () => {
    const unknown = await api.call('PUT', QINGDAO, { token: shandong, body: { override: { photos: { keptPerTopicc: 3 } } } });
    expect(unknown.status).toBe(400);
    expect(unknown.body.details.issues.map((i: { path: string }) => i.path)).toEqual(['override.photos.keptPerTopicc']);
    const invalid = await api.call('PUT', QINGDAO, { token: shandong, raw: '{"override":{"exam":{"passMark":-1},"__proto__":{"polluted":true}}}' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.details.issues.map((i: { path: string }) => i.path)).toEqual(['override.exam.passMark']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect((await effectiveIn('青岛市', shandong)).body.settings.photos.captureEverySeconds).toEqual({ min: 20, max: 40 });
  });

  test('when an empty override is set, then the city follows the province again', async () => {
    expect((await api.call('PUT', QINGDAO, { token: shandong, body: { override: {} } })).status).toBe(200);
    expect((await effectiveIn('青岛市', shandong)).body.settings.photos.captureEverySeconds).toEqual({ min: 600, max: 1200 });
  });

  test('when a Yunnan operator sets a Shandong city, or a learner-less caller tries, then it is refused and nothing changes', async () => {
    const foreign = await api.call('PUT', QINGDAO, { token: yunnan, body: { override: { exam: { passMark: 90 } } } });
    expect([foreign.status, foreign.body.message]).toEqual([403, '只能设置本省的政策']);
    expect((await api.call('PUT', QINGDAO, { body: { override: {} } })).status).toBe(401);
    expect((await effectiveIn('青岛市', shandong)).body.settings.exam.passMark).toBe(60);
  });
});
