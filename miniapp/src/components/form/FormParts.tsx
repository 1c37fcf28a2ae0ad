/** Form pieces the pages share: labelled fields, big choice chips, key–value rows, and the API's field errors. */
import { View, Text, Input } from '@tarojs/components'
import type { ReactNode } from 'react'
import { isIsoDate, normalizeDateText } from '@shared/calendar'
import { earliestConfirmationDate } from '@shared/member-facts'
import './FormParts.scss'

export function Field({
  label,
  required,
  error,
  hint,
  children,
  testId,
}: {
  label: string
  required?: boolean
  error?: string | null
  hint?: string
  children: ReactNode
  testId?: string
}) {
  return (
    <View className='dj-form-field' data-testid={testId}>
      <Text className='dj-form-field__label'>
        {label}
        {required ? <Text className='dj-form-field__required'>*</Text> : null}
      </Text>
      {children}
      {error ? (
        <Text className='dj-form-error' data-testid='field-error'>
          {error}
        </Text>
      ) : hint ? (
        <Text className='dj-form-field__hint'>{hint}</Text>
      ) : null}
    </View>
  )
}

export function Chips<T extends string | number>({
  options,
  value,
  onChange,
  label = (v) => String(v),
  testId,
}: {
  options: readonly T[]
  value: T | null | undefined
  onChange: (v: T) => void
  label?: (v: T) => string
  testId?: string
}) {
  return (
    <View className='dj-form-chips' data-testid={testId} role='radiogroup'>
      {options.map((option) => (
        <View
          key={String(option)}
          className={`dj-form-chip ${value === option ? 'dj-form-chip--on' : ''}`}
          role='radio'
          aria-checked={value === option}
          onClick={() => onChange(option)}
        >
          <Text>{label(option)}</Text>
        </View>
      ))}
    </View>
  )
}

/** The form's own error above its submit button (a refused save, a missing choice); nothing when there is none. */
export function FormBanner({ error, testId }: { error: string | null; testId?: string }) {
  if (!error) return null
  return (
    <View className='dj-form-banner' role='alert' data-testid={testId}>
      <Text>{error}</Text>
    </View>
  )
}

export function KeyValue({ label, value, testId }: { label: string; value: ReactNode; testId?: string }) {
  return (
    <View className='dj-form-kv'>
      <Text className='dj-form-kv__label'>{label}</Text>
      <Text className='dj-form-kv__value' data-testid={testId}>
        {value}
      </Text>
    </View>
  )
}

/** What a typed date means: 2026年11月30日, 2026.11.30, 2026/11/30 and 20261130 all read as 2026-11-30; anything else stays as typed. */
export const dateValue = (typed: string): string => normalizeDateText(typed)

/** What is wrong with a typed date, in words for the field (null when it reads as a real day). */
export function dateProblem(typed: string, what: string): string | null {
  if (!typed.trim()) return `请填写${what}`
  return isIsoDate(dateValue(typed)) ? null : `${what}请写成 2026-11-30 或 2026年11月30日 这样的日期`
}

/**
 * The one date field of the app. People type dates as they write them; the
 * field shows the typed text while they type (rewriting "2026.11.3" mid-word
 * would turn 30 into 03) and settles it to 2026-11-30 when they leave it.
 * Forms read the value through `dateValue`, so a date typed and submitted
 * without leaving the field counts too.
 */
export function DateInput({
  value,
  onChange,
  onBlur,
  placeholder = '如 2026-11-30 或 2026年11月30日',
  invalid,
  className = 'dj-form-input',
  testId,
}: {
  value: string
  onChange: (value: string) => void
  onBlur?: () => void
  placeholder?: string
  invalid?: boolean
  className?: string
  testId?: string
}) {
  return (
    <Input
      // dj-form-date--error marks it red whatever the page's own input class (which may have no --error style).
      className={`${className} dj-form-date ${invalid ? `${className}--error dj-form-date--error` : ''}`}
      value={value}
      placeholder={placeholder}
      maxlength={14}
      onInput={(e) => onChange(e.detail.value)}
      onBlur={() => {
        const settled = dateValue(value)
        if (settled !== value) onChange(settled)
        onBlur?.()
      }}
      data-testid={testId}
    />
  )
}

/** The issues an API validation error carries, keyed by field. */
export function fieldErrorsFrom(details: unknown): Record<string, string> {
  const out: Record<string, string> = {}
  const issues = (details as { issues?: { path?: unknown[]; message?: string }[] } | undefined)?.issues
  if (!Array.isArray(issues)) return out
  for (const issue of issues) {
    const field = String(issue.path?.[0] ?? '')
    if (field && issue.message && !out[field]) out[field] = issue.message
  }
  return out
}

/** Under a 转正日期 field: the earliest date the rules allow, once 入党日期 reads as a date. */
export function earliestConfirmationHint(joinedAt: string, extensionMonths?: number | null): string | undefined {
  const day = normalizeDateText(joinedAt)
  if (!isIsoDate(day)) return undefined
  const why = extensionMonths ? `预备期一年并延长${extensionMonths}个月` : '预备期一年'
  return `${why}，最早可于 ${earliestConfirmationDate(day, extensionMonths)} 转正（2月29日入党的到次年2月28日）`
}
