/**
 * 各乡镇概况 as county staff use it (issue 17.5): from 管理, every township side by side in its fixed order,
 * one township's own dashboard a tap away, and the county's roster statistics downloaded as a table.
 */
import ExcelJS from 'exceljs'
import { readFile } from 'node:fs/promises'
import { expect, test } from 'vitest'
import { DEMO_COMMITTEE } from '../../db/seed/core'
import { SECOND_TOWNSHIP } from '../../db/seed/county'
import { TEST_NOW } from '../helpers/constants'
import { browserSuite, clickTab, describeBrowser, loginAs, newMobilePage, shot, visiblePage } from './helpers'

describeBrowser('county overview', () => {
  const suite = browserSuite({ now: TEST_NOW })

  test('county staff compare townships side by side, open one township’s dashboard and download the statistics', async () => {
    const { page, errors, close } = await newMobilePage(suite.browser)
    try {
      await loginAs(page, suite.server.url, 'county')
      await clickTab(page, '管理')
      await visiblePage(page).getByText('各乡镇概况').first().click()
      const overview = visiblePage(page).getByTestId('county-overview')
      await overview.waitFor({ timeout: 30_000 })
      const townships = overview.getByTestId('county-township')
      await expect.poll(() => townships.count()).toBeGreaterThanOrEqual(2)
      const names = await Promise.all((await townships.all()).map(async (t) => (await t.locator('.dj-card__title').innerText()).trim()))
      expect(names.slice(0, 2)).toEqual([DEMO_COMMITTEE, SECOND_TOWNSHIP])
      expect(await overview.getByTestId('county-total').innerText()).toMatch(/党员 \d+ 人/)
      expect(await overview.innerText()).not.toMatch(/第\s*\d+\s*名|名次|学习时长|分钟/)
      await shot(page, 'county-overview')

      const [download] = await Promise.all([page.waitForEvent('download'), overview.getByTestId('export-roster-statistics').click()])
      expect(download.suggestedFilename()).toMatch(/党员统计表/)
      const book = new ExcelJS.Workbook()
      await book.xlsx.load((await readFile((await download.path())!)) as unknown as ArrayBuffer)
      const firstColumn = book.worksheets[0]!.getColumn(1).values.filter((v): v is string => typeof v === 'string')
      expect(firstColumn).toEqual(['乡镇党委', ...names, '合计'])

      await townships.nth(1).click()
      const dash = visiblePage(page).getByTestId('dashboard')
      await dash.waitFor({ timeout: 30_000 })
      await expect.poll(() => dash.innerText()).toContain(`${names[1]}数据`)
      await shot(page, 'county-township-dashboard')
      expect(errors).toEqual([])
    } finally {
      await close()
    }
  })
})
