export default definePageConfig({
  navigationBarTitleText: '光荣在党50年',
})
