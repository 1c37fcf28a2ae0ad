import { PlaceholderPage } from '@/components/PlaceholderPage'

/** Placeholder: the 数据看板 issue builds this page. */
export default function Page() {
  return <PlaceholderPage title='数据看板' description='全镇党员人数、学习完成率、转接办理等统计。' officerOnly={true} />
}
