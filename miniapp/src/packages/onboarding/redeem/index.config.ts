export default definePageConfig({
  navigationBarTitleText: '使用邀请码',
})
