export const TEST_WECHAT = { appid: 'wxtest0000000001', secret: 'test-secret' };
