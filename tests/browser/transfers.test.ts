/**
 * 组织关系转出, end to end in the H5 app: a member applies, their branch
 * secretary agrees, committee staff approve (the letter is issued with its
 * number and the validity in capital numerals), staff record the 回执, and the
 * member follows the whole timeline to 已完成.
 */
import { expect, test } from 'vitest'
import { browserSuite, describeBrowser, loginAs, newMobilePage, openRoute, shot, takeTransferStep, visiblePage } from './helpers'

const TRANSFERS = '/packages/transfers/index/index'

describeBrowser('organization-relationship transfers in the app', () => {
  const suite = browserSuite()

  test('member applies to transfer out → secretary reviews → staff approve → letter → 回执 → member sees 已完成', async () => {
    // 1. The member applies.
    const member = await newMobilePage(suite.browser)
    const m = member.page
    const memberName = await loginAs(m, suite.server.url, 'member')
    await openRoute(m, suite.server.url, TRANSFERS)
    await visiblePage(m).getByTestId('transfer-mine').waitFor()
    await shot(m, 'transfers-member-home')
    await visiblePage(m).getByTestId('apply-out').click()
    const form = visiblePage(m).getByTestId('transfer-apply')
    await form.waitFor()
    // Submitting empty says what is missing, in Chinese.
    await form.getByTestId('submit-transfer').click()
    await expect.poll(() => form.getByTestId('form-error').innerText()).toContain('请看红字提示')
    await form.getByTestId('to-organization').locator('input').fill('郑州市金水区文化路街道党工委')
    await form.getByTestId('letter-addressee').locator('input').fill('中共郑州市金水区文化路街道工作委员会')
    await form.getByTestId('apply-scope').getByText('县外省内').click()
    await form.getByTestId('apply-reason').getByText('工作调动').click()
    await form.getByTestId('reason-note').locator('textarea').fill('到郑州某物流公司工作')
    await form.getByTestId('contact-phone').locator('input').fill('13812345678')
    await shot(m, 'transfers-apply-form')
    await form.getByTestId('submit-transfer').click()

    const detail = visiblePage(m).getByTestId('transfer-detail')
    await detail.waitFor({ timeout: 15_000 })
    await expect.poll(() => detail.getByTestId('transfer-state').first().innerText()).toBe('待支部审核')
    const branchRow = detail.locator('.dj-form-kv', { hasText: '转出支部' })
    const branchName = (await branchRow.locator('.dj-form-kv__value').innerText()).trim()
    await shot(m, 'transfers-member-applied')

    // 2. The member's branch secretary agrees from the inbox, in two taps.
    const secretary = await newMobilePage(suite.browser)
    const s = secretary.page
    await loginAs(s, suite.server.url, 'secretary', branchName)
    await openRoute(s, suite.server.url, TRANSFERS)
    const inbox = visiblePage(s).getByTestId('transfer-inbox')
    await inbox.waitFor()
    const row = inbox.getByTestId('transfer-row').filter({ hasText: memberName })
    await row.waitFor()
    expect(Number(await inbox.getByTestId('count-awaiting').innerText())).toBeGreaterThanOrEqual(1)
    await shot(s, 'transfers-secretary-inbox')
    await takeTransferStep(row, 'review', '情况属实，同意转出')
    await expect.poll(() => inbox.getByTestId('transfer-row').filter({ hasText: memberName }).count()).toBe(0)

    // 3. Staff approve: the letter is issued.
    const staff = await newMobilePage(suite.browser)
    const st = staff.page
    await loginAs(st, suite.server.url, 'staff')
    await openRoute(st, suite.server.url, TRANSFERS)
    const staffInbox = visiblePage(st).getByTestId('transfer-inbox')
    await staffInbox.waitFor()
    const staffRow = staffInbox.getByTestId('transfer-row').filter({ hasText: memberName })
    await staffRow.waitFor()
    await shot(st, 'transfers-staff-inbox')
    await staffRow.getByTestId('step-approve').click()
    await expect.poll(() => staffRow.getByTestId('step-confirm').innerText()).toContain('叁拾天')
    await shot(st, 'transfers-staff-approve')
    await staffRow.getByTestId('step-confirm-button').click()
    await expect.poll(() => staffRow.getByTestId('transfer-state').innerText(), { timeout: 15_000 }).toBe('已开介绍信，待回执')

    // 4. The letter page: the number and the validity in capital numerals.
    await staffRow.locator('.dj-t-row__name').click()
    const staffDetail = visiblePage(st).getByTestId('transfer-detail')
    await staffDetail.waitFor()
    const letterNumber = (await staffDetail.getByTestId('letter-number').innerText()).trim()
    expect(letterNumber).toMatch(/^2026-\d{4}$/)
    await staffDetail.getByTestId('open-letter').click()
    const letter = visiblePage(st).getByTestId('letter')
    await letter.waitFor()
    expect(await letter.getByTestId('letter-main').innerText()).toContain(letterNumber)
    expect(await letter.getByTestId('letter-validity').innerText()).toContain('叁拾')
    expect(await letter.getByTestId('letter-stub').innerText()).toContain(memberName)
    expect(await letter.getByTestId('letter-receipt').innerText()).toContain('回执联')
    expect(await letter.innerText()).toContain('中共郑州市金水区文化路街道工作委员会')
    await shot(st, 'transfers-letter')

    // 5. Staff record the 回执 on the detail page.
    await st.goBack()
    const back = visiblePage(st).getByTestId('transfer-detail')
    await back.waitFor()
    await takeTransferStep(back.getByTestId('step-card'), 'receipt', '回执已寄回')
    await expect.poll(() => back.getByTestId('transfer-state').first().innerText(), { timeout: 15_000 }).toBe('已完成')
    await shot(st, 'transfers-staff-receipt')

    // 6. The member sees the completed timeline.
    await openRoute(m, suite.server.url, TRANSFERS)
    const mine = visiblePage(m).getByTestId('transfer-mine')
    await mine.getByTestId('transfer-row').filter({ hasText: '已完成' }).first().click()
    const done = visiblePage(m).getByTestId('transfer-detail')
    await done.waitFor()
    await expect.poll(() => done.getByTestId('transfer-state').first().innerText()).toBe('已完成')
    const steps = done.getByTestId('timeline-step')
    await expect.poll(() => steps.count()).toBe(4)
    const timeline = await done.getByTestId('timeline').innerText()
    for (const text of ['提交申请', '支部审核通过', '党委审批通过', '登记回执', '已完成', '情况属实，同意转出', '回执已寄回']) {
      expect(timeline).toContain(text)
    }
    await shot(m, 'transfers-member-completed')

    // 7. The ledger shows the seeded overdue letter first, flagged.
    await openRoute(st, suite.server.url, TRANSFERS)
    await visiblePage(st).getByTestId('tab-ledger').click()
    const ledger = visiblePage(st).getByTestId('transfer-ledger')
    await ledger.getByTestId('transfer-row').first().waitFor()
    expect(await ledger.getByTestId('transfer-row').first().getByTestId('overdue-flag').innerText()).toMatch(/回执逾期|介绍信已过期/)
    // Letters by the year of their number, the rest (no letter yet, 转入, 镇内) in their own section.
    const sections = await ledger.getByTestId('ledger-section-title').allInnerTexts()
    expect(sections).toEqual([expect.stringContaining('已开具介绍信'), expect.stringContaining('未开具介绍信')])
    expect(await ledger.getByTestId('ledger-section-letters').getByTestId('overdue-flag').count()).toBeGreaterThan(0)
    await shot(st, 'transfers-ledger')

    for (const p of [member, secretary, staff]) {
      expect(p.errors.filter((e) => !/favicon/.test(e))).toEqual([])
      await p.close()
    }
  })

  test('staff register an incoming member (登记转入) from the letter; it waits for 党委审批 in the inbox', async () => {
    const { page } = await newMobilePage(suite.browser)
    await loginAs(page, suite.server.url, 'staff')
    await openRoute(page, suite.server.url, TRANSFERS)
    await visiblePage(page).getByTestId('open-register-in').click()
    const form = visiblePage(page).getByTestId('transfer-register-in')
    await form.waitFor()
    // A wrong check digit is caught before anything is sent.
    await form.getByTestId('in-id-number').locator('input').fill('410523198203150011')
    await form.getByTestId('submit-register-in').click()
    await expect.poll(() => form.innerText()).toContain('校验位不正确')
    await form.getByTestId('from-organization').locator('input').fill('中共某县城关镇委员会')
    await form.getByTestId('incoming-letter-number').locator('input').fill('城组转〔2026〕17号')
    await form.getByTestId('in-scope').getByText('县内').click()
    await form.getByTestId('in-branch').getByText('向阳村党支部').click()
    await form.getByTestId('in-reason').getByText('居住地变更').click()
    await form.getByTestId('in-name').locator('input').fill('周建新')
    await form.getByTestId('in-gender').getByText('男').click()
    await form.getByTestId('in-id-number').locator('input').fill('11010519491231002X')
    await form.getByTestId('in-category').getByText('正式党员').click()
    await form.getByTestId('in-joined-at').locator('input').fill('1975-07-01')
    await form.getByTestId('in-confirmed-at').locator('input').fill('1976-07-01')
    await form.getByTestId('in-phone').locator('input').fill('13912345678')
    // Corrected fields lose their red messages as they are edited.
    await expect.poll(() => form.innerText()).not.toContain('校验位不正确')
    await expect.poll(() => form.innerText()).not.toContain('请填写姓名')
    // 11010519491231002X belongs to a woman: the member-fact rule refuses 男 before anything is sent.
    await form.getByTestId('submit-register-in').click()
    await expect.poll(() => form.innerText()).toContain('身份证号显示性别为“女”')
    await form.getByTestId('in-gender').getByText('女').click()
    // Staff type someone else's ID number: they confirm the member was told the privacy guide and agreed.
    await expect.poll(() => form.innerText()).toContain('征得本人同意')
    await form.getByTestId('in-member-consent').click()
    await shot(page, 'transfers-register-in-form')
    await form.getByTestId('submit-register-in').click()

    const detail = visiblePage(page).getByTestId('transfer-detail')
    await detail.waitFor({ timeout: 15_000 })
    await expect.poll(() => detail.getByTestId('transfer-state').first().innerText()).toBe('待党委审批')
    await expect.poll(() => detail.innerText()).toContain('周建新')
    // Only the masked ID number is ever shown.
    await expect.poll(() => detail.innerText()).toContain('1101*************X')
    await shot(page, 'transfers-register-in-detail')
    expect(await detail.getByTestId('transfer-conflict').count()).toBe(0)

    // A secretary of another branch registers the same person: accepted as for any number (they are
    // not told), and staff see the collision on the transfer they are about to approve.
    const post = async (path: string, body: unknown, token?: string) =>
      (await fetch(`${suite.server.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      })) as Response
    const { accounts } = (await (await fetch(`${suite.server.url}/api/auth/dev/accounts`)).json()) as { accounts: { accountId: number; role: string; organizationName: string | null }[] }
    const other = accounts.find((a) => a.role === 'secretary' && a.organizationName !== '向阳村党支部')
    const login = (await (await post('/api/auth/dev', { role: 'secretary', accountId: other?.accountId })).json()) as { token: string; account: { organization: { id: number } } }
    const again = await post(
      '/api/transfers',
      {
        kind: 'in', memberConsent: true, name: '周建新', gender: 'female', ethnicity: '汉族', idNumber: '11010519491231002X', category: 'full',
        joinedAt: '1975-07-01', confirmedAt: '1976-07-01', toOrganizationId: login.account.organization.id,
        fromOrganizationName: '中共某县城关镇委员会', incomingLetterNumber: '城组转〔2026〕18号', scope: 'in_county',
        reason: 'relocation', duesPaidThrough: '2026-05', contactPhone: '13912345679',
      },
      login.token,
    )
    expect(again.status).toBe(201)
    await page.reload()
    const reloaded = visiblePage(page).getByTestId('transfer-detail')
    await reloaded.waitFor({ timeout: 15_000 })
    await expect.poll(() => reloaded.getByTestId('transfer-conflict').innerText()).toContain('另有一项未办结的转入登记')
    await shot(page, 'transfers-register-in-conflict')
  })

  // 进度提醒我 is weapp-only (H5 has no subscribe messages): with the township's template set, H5 still
  // files the transfer and goes straight to its page, and never shows the button.
  test('with a progress-reminder template set, H5 files the transfer without offering 进度提醒我', async () => {
    const call = async (method: string, path: string, token: string, body?: unknown) =>
      (await fetch(`${suite.server.url}${path}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': crypto.randomUUID() },
        body: body === undefined ? undefined : JSON.stringify(body),
      })) as Response
    const staff = (await (await fetch(`${suite.server.url}/api/auth/dev`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role: 'staff' }) })).json()) as { token: string }
    const current = (await (await call('GET', '/api/settings', staff.token)).json()) as { own: Record<string, unknown> }
    const saved = await call('PUT', '/api/settings', staff.token, { ...current.own, transferProgressTemplateId: 'tmpl-transfer-progress' })
    expect(saved.status).toBe(200)

    const { page } = await newMobilePage(suite.browser)
    await loginAs(page, suite.server.url, 'member', 1)
    await openRoute(page, suite.server.url, '/packages/transfers/apply/index')
    const form = visiblePage(page).getByTestId('transfer-apply')
    await form.waitFor()
    await form.getByTestId('to-organization').locator('input').fill('郑州市金水区文化路街道党工委')
    await form.getByTestId('letter-addressee').locator('input').fill('中共郑州市金水区文化路街道工作委员会')
    await form.getByTestId('apply-scope').getByText('县外省内').click()
    await form.getByTestId('apply-reason').getByText('工作调动').click()
    await form.getByTestId('contact-phone').locator('input').fill('13812345670')
    await form.getByTestId('submit-transfer').click()
    const detail = visiblePage(page).getByTestId('transfer-detail')
    await detail.waitFor({ timeout: 15_000 })
    await expect.poll(() => detail.getByTestId('transfer-state').first().innerText()).toBe('待支部审核')
    expect(await page.getByTestId('progress-reminder').count()).toBe(0)
    expect(await page.getByTestId('transfer-submitted').count()).toBe(0)
  })
})
