/**
 * 现场照片 end to end (H5): the 东风村 secretary opens a meeting's record, reads that photos are optional,
 * adds a small PNG through the picker Taro's chooseMedia opens (an <input type=file>), sees it as a
 * thumbnail, opens it large, finds it again after a reload (fetched with the token), and deletes it
 * after confirming — the picture cleared on the server, the empty state back. A renamed text file is
 * stopped on the phone with a plain message.
 */
import { and, eq } from 'drizzle-orm'
import type { Page } from 'playwright-core'
import { expect, it } from 'vitest'
import { accounts, orglifeMeetingPhotos } from '../../db/schema/index.js'
import { PHOTO_MESSAGES } from '../../shared/orglife.js'
import type { AppServer } from '../helpers/app-server'
import { TEST_NOW } from '../helpers/constants'
import { tinyPng } from '../helpers/photos'
import { browserSuite, describeBrowser, phoneOnServerClock, shot, visiblePage } from './helpers'

const SECRETARY = '李守仁'

/** A meeting of the secretary's branch, recorded through the API as they would. */
async function meetingOf(server: AppServer): Promise<number> {
  const [account] = await server.db.select().from(accounts).where(and(eq(accounts.role, 'secretary'), eq(accounts.displayName, SECRETARY)))
  const post = async <T>(path: string, body: unknown, token?: string): Promise<T> => {
    const res = await fetch(server.url + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `browser-photos-${Date.now()}`, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    })
    if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`)
    return (await res.json()) as T
  }
  const { token } = await post<{ token: string }>('/api/auth/dev', { role: 'secretary', accountId: account!.id })
  const meeting = await post<{ id: number }>(
    '/api/orglife/meetings',
    { type: 'party_day', topic: '主题党日：清理村道', place: '村党群服务中心', host: SECRETARY, startsAt: '2026-06-14T09:00:00+08:00', endsAt: '2026-06-14T10:00:00+08:00', carriesStudy: false, attendance: [] },
    token,
  )
  return meeting.id
}

/** Presses 添加现场照片 and hands the picker a file (on a phone's browser Taro first asks 拍摄 or 从相册选择). */
async function addPhoto(page: Page, png: Uint8Array): Promise<void> {
  const chooser = page.waitForEvent('filechooser')
  await visiblePage(page).getByTestId('photos-add').click()
  const sheet = page.getByText('从相册选择')
  if ((await Promise.race([chooser.then(() => 'picker'), sheet.waitFor().then(() => 'sheet')])) === 'sheet') await sheet.click()
  await (await chooser).setFiles({ name: '现场.png', mimeType: 'image/png', buffer: Buffer.from(png) })
}

describeBrowser('meeting photos (H5)', () => {
  const suite = browserSuite({ now: TEST_NOW })

  it('a secretary adds a photo to a meeting record, sees it, opens it and deletes it', async () => {
    const meetingId = await meetingOf(suite.server)
    const { page, errors, close } = await phoneOnServerClock(suite, 'secretary', SECRETARY, `/packages/orglife/meeting/index?id=${meetingId}`)
    try {
      const photos = visiblePage(page).getByTestId('meeting-photos')
      await expect(photos.getByTestId('photos-empty').innerText()).resolves.toContain('可不传')
      await expect(photos.innerText()).resolves.toContain('现场照片（可不传）')

      const png = tinyPng(5, 64)
      await addPhoto(page, png)
      const thumb = photos.getByTestId('photo-thumb')
      await thumb.waitFor()
      await expect.poll(() => photos.getByTestId('photo-pending').count()).toBe(0)
      const [stored] = await suite.server.db.select().from(orglifeMeetingPhotos).where(eq(orglifeMeetingPhotos.meetingId, meetingId))
      expect(stored).toMatchObject({ mimeType: 'image/png', byteSize: png.length })
      expect(Buffer.from(stored!.content!).equals(Buffer.from(png))).toBe(true)
      await shot(page, 'orglife-meeting-photos')

      // Tap to see it large; a tap closes it.
      await thumb.click()
      const preview = page.locator('.preview-image')
      await preview.waitFor()
      await preview.click()
      await preview.waitFor({ state: 'detached' })

      // After a reload the thumbnail comes from the server, fetched with the token.
      await page.reload()
      const again = visiblePage(page).getByTestId('meeting-photos')
      await again.getByTestId('photo-thumb').waitFor()
      await expect.poll(async () => (await again.getByTestId('photo-thumb').locator('img').getAttribute('src')) ?? '').toMatch(/^blob:/)

      await again.getByTestId('photo-delete').click()
      await page.locator('.taro__modal').getByText('删除', { exact: true }).click()
      await again.getByTestId('photos-empty').waitFor()
      const [removed] = await suite.server.db.select().from(orglifeMeetingPhotos).where(eq(orglifeMeetingPhotos.id, stored!.id))
      expect(removed!.content).toBeNull()
      expect(removed!.deletedAt).not.toBeNull()

      expect(errors).toEqual([])

      // A file that only calls itself a picture is stopped on the phone with a plain message, and sent nowhere
      // (Taro's H5 picker logs the picture it could not open, and drops it).
      await addPhoto(page, new TextEncoder().encode('这不是照片，只是改了名字的文本文件'))
      await expect(again.getByTestId('photos-message').innerText()).resolves.toBe(PHOTO_MESSAGES.notPicture)
      await expect(suite.server.db.select().from(orglifeMeetingPhotos).where(eq(orglifeMeetingPhotos.meetingId, meetingId))).resolves.toHaveLength(1)
    } finally {
      await close()
    }
  })
})
