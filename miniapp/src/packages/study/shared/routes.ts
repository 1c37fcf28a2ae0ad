import { ROUTES } from '@/routes'

/** Pages of the study subpackage (registered in app.config.ts under packages/study). */
export const STUDY_ROUTES = {
  supervision: ROUTES.studySupervision,
  event: ROUTES.studyEvent,
  eventForm: ROUTES.studyEventForm,
} as const

const CST_OFFSET_MS = 8 * 3600_000

/** `2026-06-15T01:30:00Z` → `6月15日 09:30`, in Beijing time whatever the phone's zone. */
export function cstDateTime(instant: string): string {
  const d = new Date(new Date(instant).getTime() + CST_OFFSET_MS)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日 ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`
}

export function eventTime(startsAt: string, endsAt: string): string {
  return `${cstDateTime(startsAt)}–${cstDateTime(endsAt).split(' ')[1]}`
}
