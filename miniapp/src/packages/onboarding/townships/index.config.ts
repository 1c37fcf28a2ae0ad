export default definePageConfig({
  navigationBarTitleText: '乡镇管理',
})
