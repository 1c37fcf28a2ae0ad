/**
 * Only the four tab pages and the login page live in the main package; every
 * domain gets its own subpackage so the main package stays small (WeChat caps
 * it at 2 MB) and feature work lands in its own folder. Keep src/routes.ts in
 * step with this file.
 *
 * The tab bar is WeChat's native one. A custom tab bar (to hide 管理 from
 * ordinary members) is not rendered at all by Taro 4.2.1's H5 router
 * (`tabBar.custom` skips the tab bar), so 管理 is always present and explains
 * itself to members instead.
 */
export default defineAppConfig({
  pages: ['pages/home/index', 'pages/study/index', 'pages/me/index', 'pages/admin/index', 'pages/login/index'],
  subPackages: [
    { root: 'packages/members', pages: ['register/index', 'review/index', 'roster/index', 'detail/index', 'io/index'] },
    { root: 'packages/study', pages: ['supervision/index', 'event/index', 'event-form/index'] },
    { root: 'packages/birthdays', pages: ['index/index', 'sign-in/index', 'ceremony/index', 'medal/index'] },
    { root: 'packages/transfers', pages: ['index/index', 'apply/index', 'register-in/index', 'detail/index', 'letter/index'] },
    { root: 'packages/commendations', pages: ['index/index', 'form/index', 'targets/index'] },
    { root: 'packages/dashboard', pages: ['index/index', 'county/index'] },
    { root: 'packages/development', pages: ['index/index', 'detail/index', 'queue/index', 'mine/index', 'work-calendar/index', 'county/index'] },
    { root: 'packages/orglife', pages: ['calendar/index', 'meeting-form/index', 'meeting/index', 'mine/index', 'township/index', 'duty/index'] },
    { root: 'packages/feedback', pages: ['index/index'] },
    { root: 'packages/messages', pages: ['index/index'] },
    { root: 'packages/settings', pages: ['township/index', 'county/index'] },
    { root: 'packages/privacy', pages: ['index/index'] },
    { root: 'packages/onboarding', pages: ['townships/index', 'invitations/index', 'redeem/index'] },
  ],
  // Officers open the management subpackages from 管理: fetch them ahead of the tap.
  preloadRule: {
    'pages/admin/index': {
      network: 'all',
      packages: ['packages/members', 'packages/study', 'packages/birthdays', 'packages/transfers'],
    },
    'pages/home/index': { network: 'all', packages: ['packages/members'] },
  },
  window: {
    navigationBarBackgroundColor: '#C8161D',
    navigationBarTextStyle: 'white',
    navigationBarTitleText: '智慧党建',
    backgroundColor: '#F6F3F1',
    backgroundTextStyle: 'dark',
  },
  tabBar: {
    color: '#5F5F5F',
    selectedColor: '#C8161D',
    backgroundColor: '#FFFFFF',
    borderStyle: 'black',
    list: [
      {
        pagePath: 'pages/home/index',
        text: '首页',
        iconPath: 'assets/tab/home.png',
        selectedIconPath: 'assets/tab/home-active.png',
      },
      {
        pagePath: 'pages/study/index',
        text: '学习',
        iconPath: 'assets/tab/study.png',
        selectedIconPath: 'assets/tab/study-active.png',
      },
      {
        pagePath: 'pages/me/index',
        text: '我的',
        iconPath: 'assets/tab/me.png',
        selectedIconPath: 'assets/tab/me-active.png',
      },
      {
        pagePath: 'pages/admin/index',
        text: '管理',
        iconPath: 'assets/tab/admin.png',
        selectedIconPath: 'assets/tab/admin-active.png',
      },
    ],
  },
  // WeChat's 按需注入: each page loads only the components it uses, for a faster start.
  lazyCodeLoading: 'requiredComponents',
})
