/**
 * 党课责任表 end to end: township staff assign a member of the 机关 branch to 东风村 (包村), the
 * 东风村 secretary records a 党课 naming that leader as speaker, and the duty table then shows
 * 1 of the yearly quota for them.
 */
import { and, asc, eq } from 'drizzle-orm'
import type { Page } from 'playwright-core'
import { expect, test } from 'vitest'
import { accounts, members, organizations } from '../../db/schema/index.js'
import { browserSuite, describeBrowser, openRoute, phoneOnServerClock, shot, visiblePage } from './helpers'

const DUTY = '/packages/orglife/duty/index'
const button = (page: Page, text: string) => visiblePage(page).locator('.nut-button', { hasText: text })

describeBrowser('党课责任表 (H5)', () => {
  const suite = browserSuite()

  test('staff assign a leader a village, the secretary records a 党课 naming them, the table shows 1/2', async () => {
    // A plain member of the 机关 branch: no seeded 包村, so the table starts them at 0.
    const [leader] = await suite.server.db
      .select({ name: members.name })
      .from(members)
      .innerJoin(organizations, eq(organizations.id, members.organizationId))
      .innerJoin(accounts, eq(accounts.memberId, members.id))
      .where(and(eq(organizations.name, '镇机关党支部'), eq(accounts.role, 'member'), eq(members.status, 'active')))
      .orderBy(asc(members.id))
      .limit(1)
    const name = leader!.name

    const staff = await phoneOnServerClock(suite, 'staff', undefined, DUTY)
    const s = staff.page
    const add = visiblePage(s).getByTestId('duty-add')
    await add.waitFor()
    await add.getByTestId('member-search').locator('input').fill(name)
    await add.getByTestId('member-option').filter({ hasText: `${name}（镇机关党支部）` }).first().click()
    await add.getByTestId('village-choice').filter({ hasText: '东风村党支部' }).click()
    await button(s, '保存包村').click()
    const card = visiblePage(s).getByTestId('duty-leader').filter({ hasText: `${name}（镇机关党支部）` })
    await expect.poll(() => card.getByTestId('duty-progress').innerText()).toContain('0/2')
    await expect(card.innerText()).resolves.toContain('包村：东风村党支部')
    await shot(s, 'orglife-duty-assigned')

    const secretary = await phoneOnServerClock(suite, 'secretary', '李守仁', '/packages/orglife/meeting-form/index')
    const p = secretary.page
    const form = visiblePage(p).getByTestId('meeting-form')
    await form.getByTestId('attendee').first().waitFor()
    await form.getByTestId('meeting-type').filter({ hasText: '党课' }).click()
    await form.getByTestId('meeting-topic').locator('input').fill('以党建引领乡村振兴')
    await form.getByTestId('speaker-leader').filter({ hasText: name }).click()
    await shot(p, 'orglife-lecture-speaker')
    await button(p, '保存会议记录').click()
    const record = visiblePage(p).getByTestId('meeting-record')
    await record.waitFor()
    await expect(record.innerText()).resolves.toContain(`讲课人：${name}`)

    await openRoute(s, suite.server.url, DUTY)
    await s.reload()
    const after = visiblePage(s).getByTestId('duty-leader').filter({ hasText: `${name}（镇机关党支部）` })
    await expect.poll(() => after.getByTestId('duty-progress').innerText()).toContain('1/2')
    await shot(s, 'orglife-duty-progress')
    expect(staff.errors).toEqual([])
    expect(secretary.errors).toEqual([])
    await staff.close()
    await secretary.close()
  })
})
