/** Pages of the transfers subpackage (registered in app.config.ts under packages/transfers). */
export const TRANSFER_ROUTES = {
  home: '/packages/transfers/index/index',
  apply: '/packages/transfers/apply/index',
  registerIn: '/packages/transfers/register-in/index',
  detail: '/packages/transfers/detail/index',
  letter: '/packages/transfers/letter/index',
} as const

export const detailUrl = (id: number) => `${TRANSFER_ROUTES.detail}?id=${id}`
export const letterUrl = (id: number) => `${TRANSFER_ROUTES.letter}?id=${id}`
