/**
 * The oath read aloud (issue 19.5): where the browser can speak, 朗读誓词 reads it phrase by phrase in Chinese,
 * highlighting the phrase being read, and can be stopped; where it cannot, the page shows the text alone.
 * Chromium's headless speech has no voices and never finishes an utterance, so the page gets a stand-in speech
 * engine that records what it was given and finishes a phrase when the test says so (window.__finish), so each
 * highlighted phrase is checked in turn whatever the machine's load: what is tested is the page's part.
 */
import { expect, test } from 'vitest'
import { TEST_NOW } from '../helpers/constants'
import { browserSuite, describeBrowser, loginAs, newMobilePage, openRoute, shot, visiblePage } from './helpers'

const SIGN_IN = '/packages/birthdays/sign-in/index'

describeBrowser('入党誓词 read aloud', () => {
  const suite = browserSuite({ now: TEST_NOW })

  test('reads each phrase in order, highlighting it, in Chinese; stops on request', async () => {
    const { page, errors, close } = await newMobilePage(suite.browser)
    try {
      await page.addInitScript(() => {
        type Utterance = { text: string; lang: string; onend?: () => void }
        const w = window as unknown as { __spoken: { text: string; lang: string }[]; __finish: () => void; speechSynthesis: unknown; SpeechSynthesisUtterance: unknown }
        let speaking: Utterance | null = null
        w.__spoken = []
        w.__finish = () => {
          const done = speaking
          speaking = null
          done?.onend?.()
        }
        const engine = {
          speak(u: Utterance) {
            w.__spoken.push({ text: u.text, lang: u.lang })
            speaking = u
          },
          // A real engine ends the utterance it cancels: the page must not read on from that end.
          cancel() {
            const cancelled = speaking
            speaking = null
            setTimeout(() => cancelled?.onend?.(), 0)
          },
        }
        Object.defineProperty(window, 'speechSynthesis', { value: engine, configurable: true })
        w.SpeechSynthesisUtterance = function (this: { text: string }, text: string) {
          this.text = text
        }
      })
      await loginAs(page, suite.server.url, 'member', '王红旗')
      await openRoute(page, suite.server.url, SIGN_IN)
      const view = visiblePage(page)
      await view.getByTestId('oath').waitFor()
      const phrases = await view.getByTestId('oath-phrase').allInnerTexts()
      expect(phrases.length).toBeGreaterThan(10)
      await view.getByTestId('oath-read-aloud').click()
      const reading = view.locator('[data-testid="oath-phrase"][aria-current="true"]')
      const spokenCount = () => page.evaluate(() => (window as unknown as { __spoken: unknown[] }).__spoken.length)
      for (const [i, phrase] of phrases.entries()) {
        await expect.poll(() => reading.innerText()).toBe(phrase)
        expect(await spokenCount()).toBe(i + 1)
        if (i === 0) await shot(page, 'oath-read-aloud')
        await page.evaluate(() => (window as unknown as { __finish: () => void }).__finish())
      }
      const spoken = await page.evaluate(() => (window as unknown as { __spoken: { text: string; lang: string }[] }).__spoken)
      expect(spoken.map((s) => s.text)).toEqual(phrases)
      expect(new Set(spoken.map((s) => s.lang))).toEqual(new Set(['zh-CN']))
      await expect.poll(() => reading.count()).toBe(0)

      // Started again and stopped: nothing more is read, nothing stays highlighted.
      await view.getByTestId('oath-read-aloud').click()
      await expect.poll(() => reading.count()).toBe(1)
      await view.getByTestId('oath-read-aloud').click()
      await expect.poll(() => reading.count()).toBe(0)
      const afterStop = await page.evaluate(() => (window as unknown as { __spoken: unknown[] }).__spoken.length)
      await page.waitForTimeout(400)
      expect(await page.evaluate(() => (window as unknown as { __spoken: unknown[] }).__spoken.length)).toBe(afterStop)
      expect(errors).toEqual([])
    } finally {
      await close()
    }
  })

  test('without speech the oath is the text alone, with no button', async () => {
    const { page, errors, close } = await newMobilePage(suite.browser)
    try {
      await page.addInitScript(() => Object.defineProperty(window, 'speechSynthesis', { value: undefined, configurable: true }))
      await loginAs(page, suite.server.url, 'member', '王红旗')
      await openRoute(page, suite.server.url, SIGN_IN)
      const view = visiblePage(page)
      await view.getByTestId('oath').waitFor()
      await expect(view.getByTestId('oath').innerText()).resolves.toContain('永不叛党。')
      expect(await view.getByTestId('oath-read-aloud').count()).toBe(0)
      expect(errors).toEqual([])
    } finally {
      await close()
    }
  })
})
