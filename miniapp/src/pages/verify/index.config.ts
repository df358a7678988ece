export default definePageConfig({ navigationBarTitleText: '学时证明验证' });
