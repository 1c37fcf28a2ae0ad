export default definePageConfig({
  navigationBarTitleText: '学习督导',
})
