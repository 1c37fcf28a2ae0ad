export default definePageConfig({
  navigationBarTitleText: '发展党员',
})
