export default definePageConfig({
  navigationBarTitleText: '全县发展党员',
})
