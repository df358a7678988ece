import { loadConfig } from '../../backend/src/platform/config';

const KEY = Buffer.alloc(32, 7).toString('base64');
const PRODUCTION = {
  NODE_ENV: 'production',
  ID_ENCRYPTION_KEY: KEY,
  ID_HASH_KEY: KEY,
  STORAGE_URL_KEY: KEY,
  MONGODB_URI: 'mongodb://db.internal:27017/ce?replicaSet=rs0',
  GOV_REPORT_ENDPOINT: 'https://report.example.gov.cn/api',
  GOV_REPORT_SIGNING_KEY: 'a-real-key-agreed-with-the-platform',
};

describe('production configuration', () => {
  test('when every key and the government platform are named, then it loads', () => {
    expect(loadConfig(PRODUCTION)).toMatchObject({ GOV_REPORT_ENDPOINT: PRODUCTION.GOV_REPORT_ENDPOINT });
  });

  test.each(['ID_ENCRYPTION_KEY', 'STORAGE_URL_KEY', 'GOV_REPORT_ENDPOINT', 'GOV_REPORT_SIGNING_KEY'])(
    'when %s is left to its development default, then production refuses to start and names it',
    (name) => {
      const env: Record<string, string | undefined> = { ...PRODUCTION, [name]: undefined };
      expect(() => loadConfig(env)).toThrow(new RegExp(`missing: ${name}`));
    },
  );

  test('when not in production, then the development defaults (local simulators, dev keys) are used', () => {
    expect(loadConfig({})).toMatchObject({ GOV_REPORT_ENDPOINT: 'http://127.0.0.1:4500', NODE_ENV: 'development' });
  });
});
