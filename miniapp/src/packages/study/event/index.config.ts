export default definePageConfig({
  navigationBarTitleText: '集中学习签到',
})
