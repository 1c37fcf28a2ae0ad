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

export const todayCst = () => shanghaiDate(new Date())

export const chineseDay = (day: string) => `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`
