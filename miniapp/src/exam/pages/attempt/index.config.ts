export default definePageConfig({ navigationBarTitleText: '考试中', disableScroll: false });
