export default definePageConfig({ navigationBarTitleText: '上传头像' });
