export default definePageConfig({
  navigationBarTitleText: '组织关系转接',
})
