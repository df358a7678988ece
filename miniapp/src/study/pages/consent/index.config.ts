export default definePageConfig({ navigationBarTitleText: '人脸信息处理授权' });
