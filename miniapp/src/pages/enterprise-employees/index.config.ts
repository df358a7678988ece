export default definePageConfig({ navigationBarTitleText: '员工证书与报名' });
