/** Pages of the commendations subpackage (registered in app.config.ts). */
export const COMMENDATION_ROUTES = {
  honorRoll: '/packages/commendations/index/index',
  form: '/packages/commendations/form/index',
  targets: '/packages/commendations/targets/index',
} as const
