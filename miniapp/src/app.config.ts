export default defineAppConfig({
  pages: [
    'pages/index/index',
    'pages/learner-login/index',
    'pages/change-password/index',
    'pages/learner-enrollments/index',
    'pages/enterprise-login/index',
    'pages/enterprise-employees/index',
    'pages/certificate-query/index',
  ],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#0b5cad',
    navigationBarTitleText: '继续教育',
    navigationBarTextStyle: 'white',
    backgroundColor: '#f3f5f8',
  },
});
