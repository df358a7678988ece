import { useTestBackend } from '../helpers/backend';
import { createClass, operatorReady } from '../helpers/journeys';

const api = useTestBackend();

describe('operators act only in their own province', () => {
  let shandong: string;
  let yunnan: string;
  beforeAll(async () => {
    shandong = await operatorReady(api, 'SD');
    yunnan = await operatorReady(api, 'YN');
  });

  test('when a Shandong operator reads policies, then it sees Shandong only, with its city overrides', async () => {
    const res = await api.call('GET', '/api/admin/policies', { token: shandong });
    expect(res.body.items.map((p: { province: string }) => p.province)).toEqual(['SD']);
    const zibo = await api.call('GET', `/api/admin/policies/SD/effective?city=${encodeURIComponent('淄博市')}`, { token: shandong });
    expect(zibo.body.settings.enrollment).toMatchObject({ examMode: 'offline', windowMonthsBeforeExpiry: 9 });
  });

  test("when a Shandong operator asks for Yunnan's effective policy, then it is refused and told why", async () => {
    const res = await api.call('GET', '/api/admin/policies/YN/effective', { token: shandong });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'FORBIDDEN', message: '只能查看本省的政策设置' });
    const own = await api.call('GET', '/api/admin/policies/YN/effective', { token: yunnan });
    expect(own.body.settings.exam).toMatchObject({ durationMinutes: 120, leavingRule: 'END_ATTEMPT_SCORE_ZERO' });
  });

  test('when a Shandong operator creates a class for Yunnan, then nothing is created', async () => {
    const res = await api.call('POST', '/api/admin/classes', { token: shandong, body: { province: 'YN', name: '越权班', category: 'A', feeFen: 100 } });
    expect(res.status).toBe(403);
    const yunnanClasses = await api.call('GET', '/api/admin/classes', { token: yunnan });
    expect(yunnanClasses.body.items).toEqual([]);
  });

  test('when a class is for a category the province does not serve, then it is refused in Chinese', async () => {
    const res = await api.call('POST', '/api/admin/classes', { token: shandong, body: { province: 'SD', name: '特种作业班', category: 'SPECIAL_OPS', feeFen: 100 } });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('CATEGORY_NOT_SERVED');
    expect(res.body.message).toContain('山东省不开设');
  });

  test('when a class name is used twice in a province, then the second answers 409 and the other province may use it', async () => {
    expect(await createClass(api, shandong, { province: 'SD', name: 'A类继续教育班', category: 'A' })).toMatch(/^[0-9a-f]{24}$/);
    const again = await api.call('POST', '/api/admin/classes', { token: shandong, body: { province: 'SD', name: 'A类继续教育班', category: 'A', feeFen: 100 } });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('CLASS_NAME_TAKEN');
    expect(await createClass(api, yunnan, { province: 'YN', name: 'A类继续教育班', category: 'A' })).toMatch(/^[0-9a-f]{24}$/);
  });

  test('when a class name hides control or zero-width characters, then it is refused and nothing is created', async () => {
    for (const name of ['A类\u200b班', 'A类\u202e班级', 'A类\r\n班级', 'A\u0000类班级', '\u200b\u200bA']) {
      const res = await api.call('POST', '/api/admin/classes', { token: shandong, body: { province: 'SD', name, category: 'A', feeFen: 100 } });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    }
    const list = await api.call('GET', '/api/admin/classes', { token: shandong });
    expect(list.body.items.map((c: { name: string }) => c.name)).toEqual(['A类继续教育班']);
  });
});
