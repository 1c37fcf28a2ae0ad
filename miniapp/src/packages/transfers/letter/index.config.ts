export default definePageConfig({
  navigationBarTitleText: '组织关系介绍信',
})
