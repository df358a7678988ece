export default definePageConfig({ navigationBarTitleText: '到期换证申请' });
