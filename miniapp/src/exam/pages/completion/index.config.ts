export default definePageConfig({ navigationBarTitleText: '结业进度', enablePullDownRefresh: true });
