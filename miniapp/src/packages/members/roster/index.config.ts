export default definePageConfig({
  navigationBarTitleText: '党员花名册',
})
