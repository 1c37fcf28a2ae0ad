/**
 * The shell suites' pieces: the 管理 tiles each officer sees and the pages they open, a check that a page rendered,
 * masks and storage keys, and the suite itself (app server on a snapshot of the H5 build, Chromium, fresh pages
 * closed afterwards).
 */
import { afterAll, expect } from 'vitest'
import type { Page } from 'playwright-core'
import { browserSuite, newMobilePage, snapshotH5Build, visiblePage, type MobilePage } from './helpers'

/** The 管理 tiles and the subpackage page each opens. */
const COMMON_ENTRIES = [
  { title: '注册审核', slug: 'review', route: '/packages/members/review/index' },
  { title: '党员花名册', slug: 'roster', route: '/packages/members/roster/index' },
  { title: '学习组织', slug: 'supervision', route: '/packages/study/supervision/index' },
  { title: '政治生日', slug: 'birthdays', route: '/packages/birthdays/index/index' },
  { title: '组织关系转接', slug: 'transfers', route: '/packages/transfers/index/index' },
  { title: '发展党员', slug: 'development', route: '/packages/development/index/index' },
  { title: '表彰管理', slug: 'commendations', route: '/packages/commendations/index/index' },
  { title: '数据看板', slug: 'dashboard', route: '/packages/dashboard/index/index' },
] as const
/** 管理 as each officer sees it, in its order: the secretary runs the branch's 组织生活, staff see every branch's. */
export const SECRETARY_ENTRIES = [...COMMON_ENTRIES.slice(0, 2), { title: '组织生活', slug: 'orglife', route: '/packages/orglife/calendar/index' }, ...COMMON_ENTRIES.slice(2)]
export const STAFF_ENTRIES = [
  ...COMMON_ENTRIES.slice(0, 2),
  { title: '各支部组织生活', slug: 'orglife-township', route: '/packages/orglife/township/index' },
  { title: '党课责任表', slug: 'orglife-duty', route: '/packages/orglife/duty/index' },
  ...COMMON_ENTRIES.slice(2),
  { title: '本镇设置', slug: 'settings', route: '/packages/settings/township/index' },
  { title: '邀请码', slug: 'invitations', route: '/packages/onboarding/invitations/index' },
]


/** A subpackage page opened and rendered something other than an error or the officer-only notice. */
export async function expectPageRendered(page: Page, route: string): Promise<void> {
  await expect.poll(() => new URL(page.url()).hash).toBe(`#${route}`)
  const current = visiblePage(page)
  await expect.poll(async () => (await current.innerText()).trim().length, { timeout: 15_000 }).toBeGreaterThan(0)
  await current.getByRole('status').waitFor({ state: 'detached', timeout: 15_000 }).catch(() => undefined)
  await expect(current.getByRole('alert').count()).resolves.toBe(0)
  await expect(current.getByText(OFFICER_ONLY).count()).resolves.toBe(0)
}

export const MASKED_ID = /^\d{4}\*{13}[\dX]$/
export const MASKED_PHONE = /^1\d{2}\*{4}\d{4}$/
export const OFFICER_ONLY = '仅支部书记和党委工作人员可用'
export const TOKEN_KEY = 'dangjian.session-token'
export const REFRESH_KEY = 'dangjian.refresh-token'

/** The suite's server and browser, and new pages that are closed when it ends. */
export function shellSuite() {
  const suite = browserSuite(() => ({ staticDir: snapshotH5Build() }))
  const pages: MobilePage[] = []
  afterAll(async () => {
    await Promise.all(pages.map((p) => p.close()))
  })
  return {
    get server() {
      return suite.server
    },
    async freshPage(): Promise<MobilePage> {
      const mobile = await newMobilePage(suite.browser)
      pages.push(mobile)
      return mobile
    },
  }
}
