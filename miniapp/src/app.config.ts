export default defineAppConfig({
  pages: [
    'pages/index/index',
    'pages/learner-login/index',
    'pages/change-password/index',
    'pages/learner-enrollments/index',
    'pages/enterprise-login/index',
    'pages/enterprise-employees/index',
    'pages/certificate-query/index',
    'pages/verify/index',
  ],
  // Payment, study (player, camera, face) and exam pages load only when opened, keeping the main package small
  // (WeChat: main package ≤ 2 MB).
  subPackages: [
    {
      root: 'pay',
      pages: ['pages/confirm/index', 'pages/pay/index', 'pages/orders/index', 'pages/order/index', 'pages/invoices/index', 'pages/transfer/index', 'pages/self-enroll/index'],
    },
    {
      root: 'study',
      pages: ['pages/home/index', 'pages/course/index', 'pages/player/index', 'pages/capture/index', 'pages/consent/index', 'pages/identity/index', 'pages/avatar/index', 'pages/face/index', 'pages/bind/index'],
    },
    {
      root: 'exam',
      pages: ['pages/overview/index', 'pages/attempt/index', 'pages/result/index', 'pages/apply/index', 'pages/completion/index', 'pages/renewal/index'],
    },
  ],
  window: {
    backgroundTextStyle: 'light',
    navigationBarBackgroundColor: '#0b5cad',
    navigationBarTitleText: '继续教育',
    navigationBarTextStyle: 'white',
    backgroundColor: '#f3f5f8',
  },
});
