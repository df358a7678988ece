export default definePageConfig({ navigationBarTitleText: '结业考试', enablePullDownRefresh: true });
