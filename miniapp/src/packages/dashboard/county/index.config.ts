export default definePageConfig({
  navigationBarTitleText: '各乡镇概况',
})
