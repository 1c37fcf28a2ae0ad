/**
 * The walk behind the 长辈模式 audits (care-mode-*.test.ts): every page the app registers (read from
 * miniapp/src/app.config.ts, so a new page is walked without editing a list), opened by route with the ids the
 * detail pages need, measured at 375 and 320 px in normal mode and again in 大字 mode.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { and, asc, eq, isNotNull, like, sql, type AnyColumn } from 'drizzle-orm'
import { expect } from 'vitest'
import type { Page } from 'playwright-core'
import type { Db } from '../../db/client'
import { developmentRecords, members, organizations, orglifeMeetings, studyEvents, transfers } from '../../db/schema/index'
import { townshipId } from '../helpers/townships'
import { ROOT } from './build'
import { shot, visiblePage } from './helpers'
import { auditVisiblePage, type Finding } from './tap-audit'

export const WIDTHS = [375, 320] as const

/** Every page route of app.config.ts (main package and subpackages), as `/pages/home/index`. */
export function registeredRoutes(): string[] {
  const text = readFileSync(path.join(ROOT, 'miniapp/src/app.config.ts'), 'utf8')
  const list = (inner: string) => [...inner.matchAll(/'([^']+)'/g)].map((m) => m[1]!)
  const main = list(/^\s*pages: \[([^\]]+)\]/m.exec(text)?.[1] ?? '').map((p) => `/${p}`)
  const subs = [...text.matchAll(/root: '([^']+)', pages: \[([^\]]+)\]/g)].flatMap((m) => list(m[2]!).map((p) => `/${m[1]}/${p}`))
  return [...main, ...subs]
}

/** The query a page needs to show a record of township A (the demo staff's): the first of each kind. */
export async function detailQueries(db: Db): Promise<Record<string, string>> {
  const twp = await townshipId(db, 'A')
  const inTownship = (column: AnyColumn) =>
    sql`${column} in (select ${organizations.id} from ${organizations} where ${like(organizations.path, `%/${twp}/%`)})`
  const first = async <T extends { id: number }>(rows: Promise<T[]>) => (await rows)[0]?.id
  const member = await first(db.select({ id: members.id }).from(members).where(inTownship(members.organizationId)).orderBy(asc(members.id)).limit(1))
  const event = await first(db.select({ id: studyEvents.id }).from(studyEvents).where(inTownship(studyEvents.organizationId)).orderBy(asc(studyEvents.id)).limit(1))
  const meeting = await first(db.select({ id: orglifeMeetings.id }).from(orglifeMeetings).where(inTownship(orglifeMeetings.organizationId)).orderBy(asc(orglifeMeetings.id)).limit(1))
  const record = await first(db.select({ id: developmentRecords.id }).from(developmentRecords).where(inTownship(developmentRecords.organizationId)).orderBy(asc(developmentRecords.id)).limit(1))
  // A transfer with a letter, so the letter page has one to show.
  const transfer = await first(
    db.select({ id: transfers.id }).from(transfers).where(and(isNotNull(transfers.letterNumber), inTownship(transfers.fromOrganizationId))).orderBy(asc(transfers.id)).limit(1),
  )
  const [branch] = await db.select({ id: organizations.id }).from(organizations).where(and(eq(organizations.parentId, twp), eq(organizations.kind, 'branch'))).orderBy(asc(organizations.sortOrder)).limit(1)
  return {
    '/packages/members/detail/index': `id=${member}`,
    '/packages/study/event/index': `id=${event}`,
    '/packages/orglife/meeting/index': `id=${meeting}`,
    '/packages/development/detail/index': `id=${record}`,
    '/packages/transfers/detail/index': `id=${transfer}`,
    '/packages/transfers/letter/index': `id=${transfer}`,
    '/packages/orglife/calendar/index': `organizationId=${branch?.id}`,
    '/packages/dashboard/index/index': `townshipId=${twp}`,
  }
}

/** Opens a route and waits for its data: the loading status gone, something on the page. */
export async function openAndSettle(page: Page, baseUrl: string, route: string, query?: string): Promise<void> {
  await page.goto(`${baseUrl}/#${route}${query ? `?${query}` : ''}`)
  const view = visiblePage(page)
  await view.waitFor()
  await expect.poll(async () => (await view.innerText()).trim().length, { timeout: 10_000 }).toBeGreaterThan(0)
  await view.getByRole('status').first().waitFor({ state: 'detached', timeout: 10_000 }).catch(() => undefined)
  await page.waitForTimeout(100)
}

export interface WalkResult {
  /** "route @width mode: rule selector detail", one line per finding. */
  failures: string[]
  visited: number
}

/**
 * Measures the page on screen at each width. In 大字 mode it first checks that the page's shell carries the
 * care class: the mode reaches every page, not just the one where it was switched on.
 */
export async function measureRoute(page: Page, route: string, care: boolean, result: WalkResult): Promise<void> {
  const shell = visiblePage(page).locator('.dj-page').first()
  await expect.poll(() => shell.getAttribute('data-care'), { message: route }).toBe(care ? 'on' : 'off')
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 812 })
    await page.waitForTimeout(50)
    const findings: Finding[] = await auditVisiblePage(page, { care })
    // Overflow is asked of 320 px; at 375 it follows.
    for (const f of findings) {
      if (f.rule === 'overflow' && width !== 320) continue
      result.failures.push(`${route} @${width} ${care ? '大字' : '标准'}: ${f.rule} ${f.selector} — ${f.detail}`)
    }
  }
  result.visited += 1
  await page.setViewportSize({ width: 375, height: 812 })
}

/** Turns 大字 on from 我的, as a member would: one tap on the switch. */
export async function switchCareModeOn(page: Page, baseUrl: string): Promise<void> {
  await openAndSettle(page, baseUrl, '/pages/me/index')
  const toggle = visiblePage(page).getByTestId('care-switch')
  await expect.poll(() => toggle.getAttribute('aria-checked')).toBe('false')
  await toggle.click()
  await expect.poll(() => toggle.getAttribute('aria-checked')).toBe('true')
}

export async function shotBoth(page: Page, name: string, care: boolean): Promise<void> {
  await shot(page, `care-${name}-${care ? 'large' : 'normal'}`)
}

/** One line per failure, grouped by page, for the assertion message. */
export function report(failures: string[]): string {
  return failures.length === 0 ? '' : `\n${failures.length} findings:\n${failures.join('\n')}`
}
