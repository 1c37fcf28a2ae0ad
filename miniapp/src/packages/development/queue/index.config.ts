export default definePageConfig({
  navigationBarTitleText: '镇党委待办',
})
