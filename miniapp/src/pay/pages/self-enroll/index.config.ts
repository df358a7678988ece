export default definePageConfig({ navigationBarTitleText: '自己报名缴费' });
