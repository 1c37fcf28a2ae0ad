/**
 * The oath read aloud for a member who reads with difficulty (issue 19.5): phrase by phrase, the phrase being read
 * highlighted, and a stop. H5 uses the browser's speech synthesis (Web Speech API) where it exists. The
 * mini-program has no speech of its own (WeChat's 同声传译 plugin needs the county's plugin authorization), so it
 * plays the bundled recording through InnerAudioContext (recording-player.ts). Where neither exists the page stays
 * silent and shows no button (the text is always readable).
 */
import { useEffect, useRef, useState } from 'react'
import Taro from '@tarojs/taro'
import { recordingReader, type OathRecording, type Reader } from './recording-player'

/** Each phrase spoken in turn by the browser, the next once the last has finished. */
function browserReader(phrases: readonly string[]): Reader | null {
  if (process.env.TARO_ENV !== 'h5' || typeof window === 'undefined') return null
  const synth = window.speechSynthesis
  if (!synth || typeof window.SpeechSynthesisUtterance !== 'function') return null
  let run = 0
  const say = (text: string, onDone: () => void) => {
    const u = new window.SpeechSynthesisUtterance(text)
    u.lang = 'zh-CN'
    // Slower than conversation: the oath is read solemnly, and older listeners follow it line by line.
    u.rate = 0.8
    u.onend = onDone
    u.onerror = onDone
    synth.speak(u)
  }
  const stop = () => {
    run++
    synth.cancel()
  }
  return {
    start(onPhrase) {
      stop()
      const mine = run
      const sayFrom = (i: number) => {
        if (run !== mine) return
        if (i >= phrases.length) return onPhrase(null)
        onPhrase(i)
        say(phrases[i]!, () => sayFrom(i + 1))
      }
      sayFrom(0)
    },
    stop,
    dispose: stop,
  }
}

function weappReader(recording: OathRecording | undefined): Reader | null {
  if (process.env.TARO_ENV !== 'weapp' || !recording) return null
  return recordingReader(() => (typeof Taro.createInnerAudioContext === 'function' ? Taro.createInnerAudioContext() : null), recording)
}

/** The platform's way to read: the browser's voice on H5, the recording in the mini-program, or none. */
export function platformReader(phrases: readonly string[], recording?: OathRecording): Reader | null {
  return browserReader(phrases) ?? weappReader(recording)
}

/** `reading`: the index of the phrase being read, or null; `available` false where the device cannot read aloud. */
export function useReadAloud(makeReader: () => Reader | null) {
  const reader = useRef<Reader | null>(null)
  const [reading, setReading] = useState<number | null>(null)
  const [available, setAvailable] = useState(false)
  useEffect(() => {
    reader.current = makeReader()
    setAvailable(reader.current !== null)
    return () => reader.current?.dispose()
    // The reader is made once per page: the platform does not change while it is open.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])
  const stop = () => {
    reader.current?.stop()
    setReading(null)
  }
  const start = () => reader.current?.start(setReading)
  return { available, reading, start, stop }
}
