/**
 * The 介绍信 prints whole: printed to PDF in Chromium, it gives three A4 pages
 * (存根, 介绍信 with its seal line, 回执联), each carrying the full ID number,
 * while the screen keeps the mask.
 */
import { expect, test } from 'vitest'
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs'
import { describeBrowser, browserSuite, loginAs, newMobilePage, openRoute, shot, visiblePage } from './helpers'

async function pdfPages(bytes: Buffer): Promise<string[]> {
  const doc = await getDocument({ data: new Uint8Array(bytes), useSystemFonts: true, isEvalSupported: false }).promise
  const pages: string[] = []
  for (let i = 1; i <= doc.numPages; i++) {
    const content = await (await doc.getPage(i)).getTextContent()
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join('').replace(/\s+/g, ''))
  }
  await doc.destroy()
  return pages
}

describeBrowser('printing the transfer letter', () => {
  const suite = browserSuite()

  test('staff print 存根, 介绍信 and 回执联 on three A4 pages with the full ID number; the screen keeps the mask', async () => {
    const staff = await newMobilePage(suite.browser)
    const page = staff.page
    // The print dialog itself cannot be driven headless: count the calls, then print to PDF.
    await page.addInitScript(() => {
      const w = window as unknown as { printCalls: number }
      w.printCalls = 0
      window.print = () => {
        w.printCalls++
      }
    })
    await loginAs(page, suite.server.url, 'staff')
    await openRoute(page, suite.server.url, '/packages/transfers/index/index')
    const row = visiblePage(page).getByTestId('transfer-row').filter({ hasText: '已开介绍信' }).first()
    await row.waitFor()
    await row.locator('.dj-t-row__name').click()
    const detail = visiblePage(page).getByTestId('transfer-detail')
    await detail.waitFor()
    await detail.getByTestId('open-letter').click()
    const letter = visiblePage(page).getByTestId('letter')
    await letter.waitFor()
    const masked = (await letter.getByTestId('letter-id-masked').first().innerText()).trim()
    expect(masked).toMatch(/^\d{4}\*{13}[\dX]$/)
    const memberName = (await letter.locator('.dj-letter__blank').first().innerText()).trim()

    await visiblePage(page).getByTestId('print-letter').click()
    await expect.poll(() => page.evaluate(() => (window as unknown as { printCalls: number }).printCalls)).toBe(1)
    // On screen the mask stays, even while the full number waits for the printer.
    expect(await letter.innerText()).not.toMatch(/\d{17}[\dX]/)
    expect(await letter.innerText()).toContain(masked)

    const pages = await pdfPages(await page.pdf({ format: 'A4', printBackground: true }))
    expect(pages).toHaveLength(3)
    const [stub, main, receipt] = pages as [string, string, string]
    expect(stub).toContain('介绍信（存根）')
    expect(main).toContain('中国共产党党员组织关系介绍信')
    expect(main).not.toContain('存根')
    expect(main).toContain('请接洽')
    expect(main).toContain('（盖章）')
    expect(main).toContain('有效期')
    expect(receipt).toContain('回执联')
    expect(receipt).toContain('特此回复')
    expect(receipt).toContain('接收党组织（盖章）')
    for (const text of [stub, main]) {
      expect(text).toContain(memberName)
      const id = text.match(/\d{17}[\dX]/)?.[0]
      expect(id, 'the printed letter carries the full ID number').toBeTruthy()
      expect(id!.slice(0, 4) + '*'.repeat(13) + id!.slice(-1)).toBe(masked)
      expect(text).not.toContain('*')
    }
    // Nothing of the app's frame (tab bar, print button) on paper.
    expect(pages.join('')).not.toContain('打印介绍信')
    await shot(page, 'transfers-letter-print')

    // The dialog closed: the number is dropped from the page.
    await page.evaluate(() => window.dispatchEvent(new Event('afterprint')))
    await expect.poll(() => letter.locator('.dj-letter__id-print').count()).toBe(0)
    expect(staff.errors).toEqual([])
    await staff.close()
  })
})
