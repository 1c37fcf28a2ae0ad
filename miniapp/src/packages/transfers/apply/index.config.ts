export default definePageConfig({
  navigationBarTitleText: '申请组织关系转接',
})
