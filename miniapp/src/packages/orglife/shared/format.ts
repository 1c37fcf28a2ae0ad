import { ROUTES } from '@/routes'
import { shanghaiDate } from '@shared/calendar'

/** Pages of the organizational-life subpackage (registered in app.config.ts under packages/orglife). */
export const ORGLIFE_ROUTES = {
  calendar: ROUTES.orglifeCalendar,
  meetingForm: ROUTES.orglifeMeetingForm,
  meeting: ROUTES.orglifeMeeting,
  mine: ROUTES.orglifeMine,
  township: ROUTES.orglifeTownship,
  duty: ROUTES.orglifeDuty,
} as const

const CST_OFFSET_MS = 8 * 3600_000

/** `2026-06-15T01:30:00Z` → `6月15日 09:30`, in Beijing time whatever the phone's zone. */
export function cstDateTime(instant: string): string {
  const d = new Date(new Date(instant).getTime() + CST_OFFSET_MS)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`
}

export const todayCst = () => shanghaiDate(new Date())

export const chineseDay = (day: string) => `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`
