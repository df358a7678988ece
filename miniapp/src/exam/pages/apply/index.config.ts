export default definePageConfig({ navigationBarTitleText: '延期 / 补考申请' });
