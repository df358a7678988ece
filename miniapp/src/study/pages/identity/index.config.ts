export default definePageConfig({ navigationBarTitleText: '实名核身' });
