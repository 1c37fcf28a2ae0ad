/**
 * The oath read aloud in the weapp (issue 19.5): a bundled recording played through InnerAudioContext, the
 * phrase being read highlighted from the recording's timings, a stop; no button where there is no audio context.
 * The audio context here is a fake whose clock the test moves, as WeChat's time updates would.
 */
import { existsSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { act, fireEvent, render, screen } from '@testing-library/react'
import { describe, expect, test } from 'vitest'
import { OATH_PHRASES } from '@shared/birthdays'
import { Oath } from '@/packages/birthdays/shared/Oath'
import { OATH_RECORDING } from '@/packages/birthdays/shared/oath-recording'
import { phraseAt, recordingReader, type AudioContextLike } from '@/packages/birthdays/shared/recording-player'

const root = path.resolve(__dirname, '../..')

class FakeAudio implements AudioContextLike {
  src = ''
  currentTime = 0
  calls: string[] = []
  private listeners: Record<'time' | 'ended' | 'stop' | 'error', (() => void)[]> = { time: [], ended: [], stop: [], error: [] }
  play() {
    this.calls.push('play')
  }
  stop() {
    this.calls.push('stop')
    this.currentTime = 0
    // WeChat reports a stop after the call returns.
    queueMicrotask(() => this.emit('stop'))
  }
  destroy() {
    this.calls.push('destroy')
  }
  onTimeUpdate(cb: () => void) {
    this.listeners.time.push(cb)
  }
  onEnded(cb: () => void) {
    this.listeners.ended.push(cb)
  }
  onStop(cb: () => void) {
    this.listeners.stop.push(cb)
  }
  onError(cb: (error: unknown) => void) {
    this.listeners.error.push(() => cb({ errMsg: 'fake error' }))
  }
  /** The recording has played up to `ms`. */
  at(ms: number) {
    this.currentTime = ms / 1000
    this.emit('time')
  }
  emit(event: 'time' | 'ended' | 'stop' | 'error') {
    for (const cb of this.listeners[event]) cb()
  }
}

const phrases = OATH_RECORDING.phrases
const during = (i: number) => (phrases[i]!.startMs + phrases[i]!.endMs) / 2

describe('the recording', () => {
  test('its timings name the oath phrase by phrase, in order, within the recording', () => {
    expect(phrases.map((p) => p.text)).toEqual([...OATH_PHRASES])
    let previousEnd = 0
    for (const p of phrases) {
      expect(p.startMs).toBeGreaterThanOrEqual(previousEnd)
      expect(p.endMs).toBeGreaterThan(p.startMs)
      previousEnd = p.endMs
    }
    expect(previousEnd).toBeLessThanOrEqual(OATH_RECORDING.durationMs)
  })

  test('is a small MP3 in the birthdays subpackage, copied there by the build', () => {
    expect(OATH_RECORDING.src).toBe('/packages/birthdays/assets/oath.mp3')
    const file = path.join(root, 'miniapp/src', OATH_RECORDING.src)
    expect(existsSync(file)).toBe(true)
    const bytes = readFileSync(file)
    // An MPEG audio frame starts with 11 set sync bits (no ID3 tag: lame writes none by default).
    expect(bytes[0]).toBe(0xff)
    expect(bytes[1]! & 0xe0).toBe(0xe0)
    expect(statSync(file).size).toBeLessThan(64 * 1024)
  })

  test('phraseAt holds a phrase through the pause after it, and starts on the first', () => {
    expect(phraseAt(phrases, 0)).toBe(0)
    expect(phraseAt(phrases, during(3))).toBe(3)
    expect(phraseAt(phrases, phrases[3]!.endMs + 10)).toBe(3)
    expect(phraseAt(phrases, phrases[4]!.startMs)).toBe(4)
    expect(phraseAt(phrases, OATH_RECORDING.durationMs)).toBe(phrases.length - 1)
  })
})

describe('the reader', () => {
  test('none without an audio context (or when making one fails)', () => {
    expect(recordingReader(() => null, OATH_RECORDING)).toBeNull()
    expect(
      recordingReader(() => {
        throw new Error('not supported')
      }, OATH_RECORDING),
    ).toBeNull()
  })

  test('plays the recording and reports the phrase the time updates fall in, then null at the end', () => {
    const audio = new FakeAudio()
    const reader = recordingReader(() => audio, OATH_RECORDING)!
    const seen: (number | null)[] = []
    reader.start((i) => seen.push(i))
    expect(audio.src).toBe(OATH_RECORDING.src)
    expect(audio.calls).toEqual(['play'])
    audio.at(during(0))
    audio.at(during(1))
    audio.at(phrases[1]!.endMs + 100)
    audio.at(during(5))
    audio.emit('ended')
    expect(seen).toEqual([0, 1, 5, null])
  })

  test('stop silences it at once: stop() on the audio, null reported, later updates ignored', async () => {
    const audio = new FakeAudio()
    const reader = recordingReader(() => audio, OATH_RECORDING)!
    const seen: (number | null)[] = []
    reader.start((i) => seen.push(i))
    audio.at(during(2))
    reader.stop()
    expect(audio.calls).toEqual(['play', 'stop'])
    await Promise.resolve()
    audio.at(during(3))
    expect(seen).toEqual([0, 2, null])
  })

  test('started again while reading, it starts over (its own stop does not end the new reading)', async () => {
    const audio = new FakeAudio()
    const reader = recordingReader(() => audio, OATH_RECORDING)!
    const seen: (number | null)[] = []
    reader.start((i) => seen.push(i))
    audio.at(during(4))
    reader.start((i) => seen.push(i))
    await Promise.resolve()
    audio.at(during(1))
    expect(audio.calls).toEqual(['play', 'stop', 'play'])
    expect(seen).toEqual([0, 4, null, 0, 1])
  })

  test('an interruption (WeChat stopping the audio) or an error ends the reading', () => {
    const audio = new FakeAudio()
    const reader = recordingReader(() => audio, OATH_RECORDING)!
    const seen: (number | null)[] = []
    reader.start((i) => seen.push(i))
    audio.emit('stop')
    reader.start((i) => seen.push(i))
    audio.emit('error')
    expect(seen).toEqual([0, null, 0, null])
  })
})

describe('<Oath> with the recording', () => {
  const highlighted = () => screen.queryAllByTestId('oath-phrase').filter((el) => el.getAttribute('aria-current') === 'true')

  test('朗读 highlights the phrase being played; 停止朗读 stops the audio and the highlight; leaving destroys it', async () => {
    const audio = new FakeAudio()
    const view = render(<Oath makeReader={() => recordingReader(() => audio, OATH_RECORDING)} />)
    await act(async () => {})
    const button = screen.getByTestId('oath-read-aloud')
    expect(button.textContent).toContain('朗读誓词')
    expect(highlighted()).toEqual([])

    await act(async () => fireEvent.click(button))
    expect(highlighted().map((el) => el.textContent)).toEqual([OATH_PHRASES[0]])
    await act(async () => audio.at(during(6)))
    expect(highlighted().map((el) => el.textContent)).toEqual([OATH_PHRASES[6]])
    expect(screen.getByTestId('oath-read-aloud').textContent).toContain('停止朗读')

    await act(async () => fireEvent.click(screen.getByTestId('oath-read-aloud')))
    expect(audio.calls).toEqual(['play', 'stop'])
    expect(highlighted()).toEqual([])
    await act(async () => audio.at(during(7)))
    expect(highlighted()).toEqual([])

    view.unmount()
    expect(audio.calls).toContain('destroy')
  })

  test('without an audio context the oath is shown with no button', async () => {
    render(<Oath makeReader={() => recordingReader(() => null, OATH_RECORDING)} />)
    await act(async () => {})
    expect(screen.getAllByTestId('oath-phrase')).toHaveLength(OATH_PHRASES.length)
    expect(screen.queryByTestId('oath-read-aloud')).toBeNull()
  })
})
