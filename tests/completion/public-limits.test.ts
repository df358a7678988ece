import { useTestBackend } from '../helpers/backend';
import { makeIdNumber } from '../helpers/fixtures';

/** The public checks share the per-address allowance of the public queries (LOGIN_RATE_PER_MINUTE, 3 here). */
const api = useTestBackend({ env: { LOGIN_RATE_PER_MINUTE: '3' } });

test('when one address keeps checking codes and CE records, then after the allowance it is told to wait (429) and nothing is looked up', async () => {
  const answers = [
    await api.call('GET', '/api/public/completion-certificates/ABCD-EFGH-JKMN'),
    await api.call('POST', '/api/public/ce-records', { body: { name: '张三', idNumber: makeIdNumber(1), category: 'C' } }),
    await api.call('GET', '/api/public/completion-certificates/ABCD-EFGH-JKMP'),
    await api.call('GET', '/api/public/completion-certificates/ABCD-EFGH-JKMQ'),
    await api.call('POST', '/api/public/ce-records', { body: { name: '张三', idNumber: makeIdNumber(2), category: 'C' } }),
  ];
  expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 429, 429]);
  expect(answers[0].body).toMatchObject({ valid: false });
  expect(answers[1].body).toEqual({ items: [] });
  expect(answers[3].body).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterSeconds: expect.any(Number) } });
});
