export default definePageConfig({
  navigationBarTitleText: '县级默认设置',
})
