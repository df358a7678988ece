export default definePageConfig({ navigationBarTitleText: '刷脸核身绑定' });
