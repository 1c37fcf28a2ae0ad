/**
 * The settings form both levels share: each setting explained in plain words, with a tag saying where
 * today's value comes from (系统默认 / 县级默认 / 本镇设置), and a choice "沿用默认" that clears this
 * level's own value. Saving sends this level's own choices in full (PUT replaces them).
 */
import { View, Text, Input } from '@tarojs/components'
import { useState } from 'react'
import { BIRTHDAY_WINDOW_LABELS } from '@shared/birthdays'
import { DUE_KIND_LABELS, dueKinds, FREQUENCY_LABELS, frequencies, MAX_LECTURE_QUOTA, type DueKind, type Frequency } from '@shared/orglife'
import type { OwnSettings, SettingSource, SettingsResponse } from '@shared/settings'
import { TRANSFER_SCOPE_LABELS, transferScopes, type TransferScope } from '@shared/transfers'
import { Card } from '@/components/Card'
import { Chips, Field } from '@/components/form/FormParts'
import { SaveRow, useSave } from '@/components/form/SaveRow'
import './settings.scss'

const INHERIT = 'inherit'
type Inherit = typeof INHERIT

/** What each level calls the value it falls back to. */
function sourceLabel(level: SettingsResponse['level'], source: SettingSource): string {
  if (source === 'township') return '本镇设置'
  if (source === 'county') return level === 'county' ? '县级设置' : '县级默认'
  return '系统默认'
}

function SourceTag({ level, source }: { level: SettingsResponse['level']; source: SettingSource }) {
  const own = (level === 'township' && source === 'township') || (level === 'county' && source === 'county')
  return (
    <Text className={`dj-settings__tag ${own ? 'dj-settings__tag--own' : ''}`} data-testid='setting-source' data-source={source}>
      {sourceLabel(level, source)}
    </Text>
  )
}

/** A whole number typed in a box; empty means "沿用默认". */
function numberOrNull(raw: string, label: string, min: number, max: number): number | null | string {
  const t = raw.trim()
  if (t === '') return null
  if (!/^\d{1,3}$/.test(t) || Number(t) < min || Number(t) > max) return `“${label}”请填写${min}到${max}之间的整数，或留空沿用默认`
  return Number(t)
}

interface Draft {
  birthdayWindow: string
  receiptDueDays: string
  partyDayOfMonth: string
  orglifeDueSoonDays: string
  lectureQuotaPerYear: string
  birthdayReminderTemplateId: string
  transferProgressTemplateId: string
  transferValidityDays: Record<TransferScope, string>
  orglifeFrequencies: Record<DueKind, string>
}

const str = (v: number | null | undefined) => (v == null ? '' : String(v))

function draftOf(own: OwnSettings): Draft {
  return {
    birthdayWindow: own.birthdayWindow ?? INHERIT,
    receiptDueDays: str(own.receiptDueDays),
    partyDayOfMonth: str(own.partyDayOfMonth),
    orglifeDueSoonDays: str(own.orglifeDueSoonDays),
    lectureQuotaPerYear: str(own.lectureQuotaPerYear),
    birthdayReminderTemplateId: own.birthdayReminderTemplateId ?? '',
    transferProgressTemplateId: own.transferProgressTemplateId ?? '',
    transferValidityDays: Object.fromEntries(transferScopes.map((s) => [s, str(own.transferValidityDays?.[s])])) as Record<TransferScope, string>,
    orglifeFrequencies: Object.fromEntries(dueKinds.map((k) => [k, own.orglifeFrequencies?.[k] ?? INHERIT])) as Record<DueKind, string>,
  }
}

function ownOf(d: Draft): OwnSettings | string {
  const receipt = numberOrNull(d.receiptDueDays, '回执寄回期限', 7, 90)
  const partyDay = numberOrNull(d.partyDayOfMonth, '主题党日', 1, 28)
  const soon = numberOrNull(d.orglifeDueSoonDays, '提前提醒天数', 0, 31)
  const quota = numberOrNull(d.lectureQuotaPerYear, '党课次数', 1, MAX_LECTURE_QUOTA)
  for (const v of [receipt, partyDay, soon, quota]) if (typeof v === 'string') return v
  const validity: Partial<Record<TransferScope, number>> = {}
  for (const s of transferScopes) {
    const v = numberOrNull(d.transferValidityDays[s], `介绍信有效期（${TRANSFER_SCOPE_LABELS[s]}）`, 1, 90)
    if (typeof v === 'string') return v
    if (v != null) validity[s] = v
  }
  const freq: Partial<Record<DueKind, Frequency>> = {}
  for (const k of dueKinds) if (d.orglifeFrequencies[k] !== INHERIT) freq[k] = d.orglifeFrequencies[k] as Frequency
  const template = d.birthdayReminderTemplateId.trim()
  const transferTemplate = d.transferProgressTemplateId.trim()
  for (const t of [template, transferTemplate]) if (t && !/^[\w-]{8,64}$/.test(t)) return '订阅消息模板ID为8到64位字母、数字、-或_，请从微信公众平台复制'
  return {
    birthdayWindow: d.birthdayWindow === INHERIT ? null : (d.birthdayWindow as 'month' | 'quarter'),
    receiptDueDays: receipt as number | null,
    partyDayOfMonth: partyDay as number | null,
    orglifeDueSoonDays: soon as number | null,
    lectureQuotaPerYear: quota as number | null,
    birthdayReminderTemplateId: template || null,
    transferProgressTemplateId: transferTemplate || null,
    transferValidityDays: validity,
    orglifeFrequencies: freq,
  }
}

function NumberBox({ value, onChange, placeholder, testId }: { value: string; onChange: (v: string) => void; placeholder: string; testId: string }) {
  return <Input className='dj-settings__input' type='number' maxlength={3} placeholder={placeholder} value={value} onInput={(e) => onChange(e.detail.value)} data-testid={testId} />
}

export function SettingsForm({ data, onSave }: { data: SettingsResponse; onSave: (own: OwnSettings, idempotencyKey: string) => Promise<SettingsResponse> }) {
  const [current, setCurrent] = useState(data)
  const [draft, setDraft] = useState<Draft>(() => draftOf(data.own))
  const saver = useSave()
  const { level, effective, inherited, sources } = current
  const fallback = level === 'township' ? '县级默认' : '系统默认'
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => setDraft((d) => ({ ...d, [k]: v }))

  async function save() {
    const own = ownOf(draft)
    if (typeof own === 'string') return saver.setError(own)
    await saver.run((idempotencyKey) => onSave(own, idempotencyKey), '设置已保存', (saved) => {
      setCurrent(saved)
      setDraft(draftOf(saved.own))
    })
  }

  return (
    <View data-testid='settings-form'>
      <Card title='政治生日' testId='setting-birthdayWindow' extra={<SourceTag level={level} source={sources.birthdayWindow} />}>
        <Text className='dj-settings__explain'>党员在政治生日（入党那天的周年日）前后重温入党誓词、签到。选“当月”只在入党那个月内签到；选“季度”则整个季度内都可以签到。</Text>
        <Text className='dj-settings__now' data-testid='setting-now'>现在：{BIRTHDAY_WINDOW_LABELS[effective.birthdayWindow]}</Text>
        <Chips
          options={[INHERIT, 'month', 'quarter'] as const}
          value={draft.birthdayWindow as Inherit | 'month' | 'quarter'}
          onChange={(v) => set('birthdayWindow', v)}
          label={(v) => (v === INHERIT ? `沿用${fallback}（${BIRTHDAY_WINDOW_LABELS[inherited.birthdayWindow]}）` : BIRTHDAY_WINDOW_LABELS[v])}
          testId='birthday-window-choices'
        />
      </Card>

      <Card title='组织关系介绍信' testId='setting-transfers'>
        <Text className='dj-settings__explain'>开具介绍信时默认的有效天数，最长90天（3个月）。一般县内10天左右，县外30天。开信时仍可改。</Text>
        {transferScopes.map((s) => (
          <Field key={s} label={`${TRANSFER_SCOPE_LABELS[s]}：现在 ${effective.transferValidityDays[s]} 天`}>
            <SourceTag level={level} source={sources.transferValidityDays[s]} />
            <NumberBox value={draft.transferValidityDays[s]} onChange={(v) => set('transferValidityDays', { ...draft.transferValidityDays, [s]: v })} placeholder={`留空沿用${fallback}：${inherited.transferValidityDays[s]}天`} testId={`validity-${s}`} />
          </Field>
        ))}
        <Field label={`回执寄回期限：现在 ${effective.receiptDueDays == null ? '一个月内' : `${effective.receiptDueDays} 天内`}`} hint='介绍信开出后，对方党组织应在这个期限内把回执联寄回。'>
          <SourceTag level={level} source={sources.receiptDueDays} />
          <NumberBox value={draft.receiptDueDays} onChange={(v) => set('receiptDueDays', v)} placeholder={`留空沿用${fallback}：${inherited.receiptDueDays == null ? '一个月内' : `${inherited.receiptDueDays}天`}`} testId='receipt-days' />
        </Field>
      </Card>

      <Card title='组织生活' testId='setting-orglife'>
        <Field label={`主题党日：现在每月 ${effective.partyDayOfMonth} 日`} hint='每月固定开展主题党日的日子，填1到28日（每个月都有的日子）。'>
          <SourceTag level={level} source={sources.partyDayOfMonth} />
          <NumberBox value={draft.partyDayOfMonth} onChange={(v) => set('partyDayOfMonth', v)} placeholder={`留空沿用${fallback}：${inherited.partyDayOfMonth}日`} testId='party-day' />
        </Field>
        <Field label={`提前提醒：现在到期前 ${effective.orglifeDueSoonDays} 天`} hint='三会一课等事项到期前多少天，在日历上标出“即将到期”。'>
          <SourceTag level={level} source={sources.orglifeDueSoonDays} />
          <NumberBox value={draft.orglifeDueSoonDays} onChange={(v) => set('orglifeDueSoonDays', v)} placeholder={`留空沿用${fallback}：${inherited.orglifeDueSoonDays}天`} testId='due-soon' />
        </Field>
        <Field label={`党课：班子成员和支部书记每年到所包村讲 ${effective.lectureQuotaPerYear} 次`} hint='年度党建工作要点要求的次数，党课责任表按此显示完成情况。'>
          <SourceTag level={level} source={sources.lectureQuotaPerYear} />
          <NumberBox value={draft.lectureQuotaPerYear} onChange={(v) => set('lectureQuotaPerYear', v)} placeholder={`留空沿用${fallback}：${inherited.lectureQuotaPerYear}次`} testId='lecture-quota' />
        </Field>
        <Text className='dj-settings__explain'>各项组织生活多久开展一次。《中国共产党支部工作条例（试行）》定的是最低要求，可以要求更勤。</Text>
        {dueKinds.map((k) => (
          <Field key={k} label={`${DUE_KIND_LABELS[k]}：现在${FREQUENCY_LABELS[effective.orglifeFrequencies[k]]}`}>
            <SourceTag level={level} source={sources.orglifeFrequencies[k]} />
            <Chips
              options={[INHERIT, ...frequencies] as const}
              value={draft.orglifeFrequencies[k] as Inherit | Frequency}
              onChange={(v) => set('orglifeFrequencies', { ...draft.orglifeFrequencies, [k]: v })}
              label={(v) => (v === INHERIT ? `沿用（${FREQUENCY_LABELS[inherited.orglifeFrequencies[k]]}）` : FREQUENCY_LABELS[v])}
            />
          </Field>
        ))}
      </Card>

      <Card title='微信订阅消息' testId='setting-template' extra={<SourceTag level={level} source={sources.birthdayReminderTemplateId} />}>
        <Text className='dj-settings__explain'>政治生日提醒用的订阅消息模板ID，在微信公众平台“订阅消息”里复制。一般由县委组织部统一填写，乡镇留空即可。</Text>
        <Input className='dj-settings__input' maxlength={64} placeholder={`留空沿用${fallback}${inherited.birthdayReminderTemplateId ? `：${inherited.birthdayReminderTemplateId}` : '（未设置）'}`} value={draft.birthdayReminderTemplateId} onInput={(e) => set('birthdayReminderTemplateId', e.detail.value)} data-testid='template-id' />
      </Card>

      <Card title='转接进度提醒' testId='setting-transfer-template' extra={<SourceTag level={level} source={sources.transferProgressTemplateId} />}>
        <Text className='dj-settings__explain'>党员提交转接申请后可点“进度提醒我”，审批、开信、办结时微信通知一次。在微信公众平台“订阅消息”里复制模板ID；不填则不显示这个按钮。</Text>
        <Input className='dj-settings__input' maxlength={64} placeholder={`留空沿用${fallback}${inherited.transferProgressTemplateId ? `：${inherited.transferProgressTemplateId}` : '（未设置）'}`} value={draft.transferProgressTemplateId} onInput={(e) => set('transferProgressTemplateId', e.detail.value)} data-testid='transfer-template-id' />
      </Card>

      <SaveRow state={saver} onSave={save} label='保存设置' primary errorTestId='form-error' />
    </View>
  )
}
