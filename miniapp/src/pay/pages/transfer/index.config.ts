export default definePageConfig({ navigationBarTitleText: '线下对公转账' });
