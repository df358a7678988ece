export default definePageConfig({ navigationBarTitleText: '学习拍照核验' });
