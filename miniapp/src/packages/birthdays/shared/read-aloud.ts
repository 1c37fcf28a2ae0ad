/**
 * The oath read aloud for a member who reads with difficulty (issue 19.5): phrase by phrase, the phrase being read
 * highlighted. H5 uses the browser's speech synthesis (Web Speech API) where it exists. The mini-program has no
 * built-in speech: WeChat's 同声传译 plugin needs the county's own plugin authorization, so until the deployment
 * adds it the page stays silent there and shows no button (the text is always readable).
 */
import { useEffect, useRef, useState } from 'react'

interface Speaker {
  say(text: string, onDone: () => void): void
  stop(): void
}

function browserSpeaker(): Speaker | null {
  if (process.env.TARO_ENV !== 'h5' || typeof window === 'undefined') return null
  const synth = window.speechSynthesis
  if (!synth || typeof window.SpeechSynthesisUtterance !== 'function') return null
  return {
    say(text, onDone) {
      const u = new window.SpeechSynthesisUtterance(text)
      u.lang = 'zh-CN'
      // Slower than conversation: the oath is read solemnly, and older listeners follow it line by line.
      u.rate = 0.8
      u.onend = onDone
      u.onerror = onDone
      synth.speak(u)
    },
    stop() {
      synth.cancel()
    },
  }
}

/** `reading`: the index of the phrase being spoken, or null; `available` false where the device cannot speak. */
export function useReadAloud(phrases: readonly string[]) {
  const speaker = useRef<Speaker | null>(null)
  const run = useRef(0)
  const [reading, setReading] = useState<number | null>(null)
  const [available, setAvailable] = useState(false)
  useEffect(() => {
    speaker.current = browserSpeaker()
    setAvailable(speaker.current !== null)
    return () => speaker.current?.stop()
  }, [])
  const stop = () => {
    run.current++
    speaker.current?.stop()
    setReading(null)
  }
  const start = () => {
    const s = speaker.current
    if (!s) return
    stop()
    const mine = ++run.current
    const sayFrom = (i: number) => {
      if (run.current !== mine) return
      if (i >= phrases.length) return setReading(null)
      setReading(i)
      s.say(phrases[i]!, () => sayFrom(i + 1))
    }
    sayFrom(0)
  }
  return { available, reading, start, stop }
}
