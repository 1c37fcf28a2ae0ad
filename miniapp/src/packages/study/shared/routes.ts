import { ROUTES } from '@/routes'

/** Pages of the study subpackage (registered in app.config.ts under packages/study). */
export const STUDY_ROUTES = {
  supervision: ROUTES.studySupervision,
  event: ROUTES.studyEvent,
  eventForm: ROUTES.studyEventForm,
} as const
