export default definePageConfig({
  navigationBarTitleText: '录入表彰',
})
