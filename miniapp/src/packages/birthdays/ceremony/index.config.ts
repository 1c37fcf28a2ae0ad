export default definePageConfig({
  navigationBarTitleText: '集体过政治生日',
})
