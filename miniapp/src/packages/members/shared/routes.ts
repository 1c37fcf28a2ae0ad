/** Pages of the members subpackage that the shell does not link to itself. */
import { ROUTES } from '@/routes'

export const MEMBER_ROUTES = {
  detail: ROUTES.memberDetail,
  io: ROUTES.memberImportExport,
} as const
