import { ROUTES } from '@/routes'

export const developmentDetailUrl = (id: number) => `${ROUTES.developmentDetail}?id=${id}`
