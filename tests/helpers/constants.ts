export const TEST_WECHAT = { appid: 'wxtest0000000001', secret: 'test-secret' };
/** The key the backend signs government reports with, and the simulator checks them with. */
export const TEST_GOV_REPORT_SIGNING_KEY = 'test-gov-report-signing-key-0001';
