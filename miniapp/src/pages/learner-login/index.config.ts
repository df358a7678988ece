export default definePageConfig({ navigationBarTitleText: '学员登录' });
