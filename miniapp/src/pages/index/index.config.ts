export default definePageConfig({ navigationBarTitleText: '建筑施工人员继续教育' });
