import { View, Text } from '@tarojs/components'
import { OATH_PHRASES } from '@shared/birthdays'
import { OATH_RECORDING } from './oath-recording'
import { platformReader, useReadAloud } from './read-aloud'
import type { Reader } from './recording-player'
import './oath.scss'

const readOath = () => platformReader(OATH_PHRASES, OATH_RECORDING)

/**
 * 入党誓词 laid out for reading aloud: one phrase per line, large, as on the card held at the ceremony; 朗读 where
 * the device can read it (`makeReader`: the platform's own, a stand-in in tests).
 */
export function Oath({ makeReader = readOath }: { makeReader?: () => Reader | null }) {
  const aloud = useReadAloud(makeReader)
  return (
    <View className='dj-oath' data-testid='oath'>
      <Text className='dj-oath__title'>入党誓词</Text>
      <Text className='dj-oath__source'>（《中国共产党章程》第六条）</Text>
      {OATH_PHRASES.map((phrase, i) => (
        <Text
          key={phrase}
          className={`dj-oath__phrase ${aloud.reading === i ? 'dj-oath__phrase--reading' : ''}`}
          aria-current={aloud.reading === i ? 'true' : undefined}
          data-testid='oath-phrase'
        >
          {phrase}
        </Text>
      ))}
      {aloud.available ? (
        <View
          className='dj-oath__aloud'
          role='button'
          data-testid='oath-read-aloud'
          onClick={() => (aloud.reading === null ? aloud.start() : aloud.stop())}
        >
          {aloud.reading === null ? '🔊 朗读誓词（跟着逐句读）' : '■ 停止朗读'}
        </View>
      ) : null}
      <Text className='dj-oath__hint'>请面向党旗，举起右拳，逐句读出誓词。</Text>
    </View>
  )
}

/** A large tick box row, easier to hit than a small checkbox. */
export function CheckRow({
  checked,
  onToggle,
  label,
  meta,
  disabled,
  testId,
}: {
  checked: boolean
  onToggle: () => void
  label: string
  meta?: string
  disabled?: boolean
  testId?: string
}) {
  return (
    <View
      className={`dj-check ${checked ? 'dj-check--on' : ''} ${disabled ? 'dj-check--disabled' : ''}`}
      role='checkbox'
      aria-checked={checked}
      aria-disabled={disabled}
      data-testid={testId}
      onClick={() => {
        if (!disabled) onToggle()
      }}
    >
      <View className='dj-check__box'>
        <Text>{checked ? '✓' : ''}</Text>
      </View>
      <View className='dj-check__label'>
        <Text>{label}</Text>
        {meta ? <Text className='dj-check__meta'>{meta}</Text> : null}
      </View>
    </View>
  )
}
