export default definePageConfig({ navigationBarTitleText: '党课责任表' })
