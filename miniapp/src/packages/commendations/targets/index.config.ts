export default definePageConfig({
  navigationBarTitleText: '表彰目标与活动',
})
