export default definePageConfig({ navigationBarTitleText: '组织生活' })
