export default definePageConfig({
  navigationBarTitleText: '新建集中学习',
})
