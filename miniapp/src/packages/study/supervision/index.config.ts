export default definePageConfig({
  navigationBarTitleText: '学习组织',
})
