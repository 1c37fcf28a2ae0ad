/**
 * 下载我的数据 as a member reads it (issue 19.6): from 我的, an .xlsx named with the Beijing date, a sheet per kind
 * of record with Chinese headings; the JSON copy for machines is a second link.
 */
import ExcelJS from 'exceljs'
import { readFile } from 'node:fs/promises'
import { expect, test } from 'vitest'
import { TEST_NOW } from '../helpers/constants'
import { browserSuite, clickTab, describeBrowser, loginAs, newMobilePage, shot, visiblePage } from './helpers'

describeBrowser('my data, readable', () => {
  const suite = browserSuite({ now: TEST_NOW })

  test('a member downloads a table of their own records and, separately, the JSON', async () => {
    const { page, errors, close } = await newMobilePage(suite.browser)
    try {
      await loginAs(page, suite.server.url, 'member')
      await clickTab(page, '我的')
      const [download] = await Promise.all([page.waitForEvent('download'), visiblePage(page).getByTestId('export-my-data').click()])
      // TEST_NOW is 2026-06-15 10:00 in Beijing: the file is named by the Beijing day.
      expect(download.suggestedFilename()).toBe('我的数据-2026-06-15.xlsx')
      const book = new ExcelJS.Workbook()
      await book.xlsx.load((await readFile((await download.path())!)) as unknown as ArrayBuffer)
      expect(book.worksheets.map((w) => w.name)).toEqual(expect.arrayContaining(['说明', '账号', '党员档案']))
      const profile = book.getWorksheet('党员档案')!
      const fields = profile.getColumn(1).values.filter((v): v is string => typeof v === 'string')
      expect(fields).toEqual(expect.arrayContaining(['姓名', '所在组织', '入党日期', '身份证号（脱敏）']))
      await shot(page, 'my-data-downloaded')

      const [json] = await Promise.all([page.waitForEvent('download'), visiblePage(page).getByTestId('export-my-data-json').click()])
      expect(json.suggestedFilename()).toBe('我的数据-2026-06-15.json')
      const data = JSON.parse(await readFile((await json.path())!, 'utf8')) as { sections: { key: string }[] }
      expect(data.sections.map((s) => s.key)).toContain('study_entries')
      expect(errors).toEqual([])
    } finally {
      await close()
    }
  })
})
