/**
 * The weapp reads the oath from a bundled recording (issue 19.5): one InnerAudioContext plays the MP3 that
 * scripts/oath-audio.ts made, and its time updates pick the phrase to highlight from the timings written beside
 * it. Kept free of Taro so a test drives it with a fake audio context.
 */

/** What the player uses of WeChat's InnerAudioContext (Taro.createInnerAudioContext()). */
export interface AudioContextLike {
  src: string
  /** Seconds from the start of the recording. */
  readonly currentTime: number
  play(): void
  stop(): void
  destroy(): void
  onTimeUpdate(callback: () => void): void
  onEnded(callback: () => void): void
  onStop(callback: () => void): void
  onError(callback: (error: unknown) => void): void
}

export interface PhraseTiming {
  text: string
  startMs: number
  endMs: number
}

export interface OathRecording {
  /** A path inside the code package (the birthdays subpackage). */
  src: string
  durationMs: number
  phrases: readonly PhraseTiming[]
}

/** Reads phrases aloud, telling which one is being read (null once it is over or stopped). */
export interface Reader {
  start(onPhrase: (index: number | null) => void): void
  stop(): void
  dispose(): void
}

/**
 * The phrase to highlight at `ms`: the last one that has started, held through the pause after it while the
 * members repeat it; the first one during the lead-in.
 */
export function phraseAt(phrases: readonly PhraseTiming[], ms: number): number {
  let index = 0
  phrases.forEach((phrase, i) => {
    if (phrase.startMs <= ms) index = i
  })
  return index
}

/** null when the device has no audio context: the page then shows no 朗读 button. */
export function recordingReader(createAudio: () => AudioContextLike | null, recording: OathRecording): Reader | null {
  let audio: AudioContextLike | null
  try {
    audio = createAudio()
  } catch {
    audio = null
  }
  if (!audio) return null
  const player = audio
  player.src = recording.src
  let listener: ((index: number | null) => void) | null = null
  let current: number | null = null
  /** Stops this reader asked for: their onStop is not the recording being interrupted. */
  let ownStops = 0

  const report = (index: number | null) => {
    if (index === current) return
    current = index
    listener?.(index)
  }
  const finish = () => {
    report(null)
    listener = null
  }
  player.onTimeUpdate(() => {
    if (listener) report(phraseAt(recording.phrases, player.currentTime * 1000))
  })
  player.onEnded(finish)
  player.onError(finish)
  player.onStop(() => {
    if (ownStops > 0) ownStops--
    else finish()
  })

  const stop = () => {
    if (listener === null) return
    finish()
    ownStops++
    player.stop()
  }
  return {
    start(onPhrase) {
      stop()
      listener = onPhrase
      report(0)
      player.play()
    },
    stop,
    dispose() {
      listener = null
      player.destroy()
    },
  }
}
