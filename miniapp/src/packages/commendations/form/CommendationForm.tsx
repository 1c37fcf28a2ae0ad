import Taro from '@tarojs/taro'
import { View, Text, Input, Textarea } from '@tarojs/components'
import { useState } from 'react'
import type { MeResponse } from '@shared/auth'
import { commendationCategories, commendationLevels, createCommendation, defaultTitle, deleteCommendation, isMemberCategory, listCampaigns, updateCommendation, type Candidate, type Commendation, type CommendationCategory, type CommendationLevel, COMMENDATION_CATEGORY_LABELS, COMMENDATION_LEVEL_LABELS, OUTSTANDING_MEMBER } from '@shared/commendations'
import { organizations as organizationsEndpoint } from '@shared/members'
import { api, useApi } from '@/api'
import { Card } from '@/components/Card'
import { isIsoDate } from '@shared/calendar'
import { Chips, DateInput, Field, FormBanner, dateProblem, dateValue } from '@/components/form/FormParts'
import { useSave } from '@/components/form/SaveRow'
import { useLiveCheck } from '@/components/form/useLiveCheck'
import { Button } from '@/ui/nutui'
import { MemberPicker } from '@/components/form/MemberPicker'
import { searchCandidates } from './candidates'
import '@/components/form/FormBoxes.scss'

interface Draft {
  category: CommendationCategory
  member: Candidate | null
  organizationId: number | null
  level: CommendationLevel
  awardedOn: string
  year: number
  title: string
  issuedBy: string
  citation: string
  campaignId: number | null
}

/** 录入 or 修改 one commendation (staff); a new record carries one Idempotency-Key per attempt. */
export function CommendationForm({ me, existing, today }: { me: MeResponse; existing: Commendation | null; today: string }) {
  const [draft, setDraft] = useState<Draft>(() =>
    existing
      ? {
          category: existing.category,
          member: existing.memberId
            ? { memberId: existing.memberId, name: existing.subjectName, organizationId: existing.organizationId, organizationName: existing.organizationName, category: '' }
            : null,
          organizationId: existing.memberId ? null : existing.organizationId,
          level: existing.level,
          awardedOn: existing.awardedOn,
          year: existing.year,
          title: existing.title,
          issuedBy: existing.issuedBy,
          citation: existing.citation,
          campaignId: existing.campaignId,
        }
      : {
          category: OUTSTANDING_MEMBER,
          member: null,
          organizationId: null,
          level: commendationLevels[0],
          awardedOn: today,
          year: Number(today.slice(0, 4)),
          title: '',
          issuedBy: me.account.organization?.name ?? '',
          citation: '',
          campaignId: null,
        },
  )
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }))
  const orgs = useApi(() => api(organizationsEndpoint), [])
  const campaigns = useApi(() => api(listCampaigns, { query: { year: draft.year } }), [draft.year])
  const forMember = isMemberCategory(draft.category)
  const awardedOn = dateValue(draft.awardedOn)
  const yearOf = (typed: string) => (isIsoDate(dateValue(typed)) ? Number(dateValue(typed).slice(0, 4)) : null)
  // While the date is half typed, the year chips stay on the last year it read as.
  const awardedYear = yearOf(draft.awardedOn) ?? draft.year
  const check = useLiveCheck({
    member: !existing && forMember && !draft.member && '请先查找并选择受表彰的党员',
    organization: !existing && !forMember && !draft.organizationId && '请选择受表彰的党组织',
    awardedOn: dateProblem(draft.awardedOn, '授予日期') ?? (awardedOn > today && '授予日期不能晚于今天'),
    issuedBy: !draft.issuedBy.trim() && '请填写授予单位',
  }, draft)
  // One key per attempt to record (useSave's): a retry after a lost answer cannot record twice.
  // The toast is short: the page goes back under it.
  const saver = useSave({ fail: check.fail, toastMs: 1200 })
  const saving = saver.saving
  const back = () => setTimeout(() => void Taro.navigateBack(), 600)
  // A date in another year changes 表彰年度 to it (the activities are the year's); within a year the choice stays.
  const typeAwardedOn = (typed: string) => {
    const year = yearOf(typed)
    set(year !== null && year !== yearOf(draft.awardedOn) ? { awardedOn: typed, year, campaignId: null } : { awardedOn: typed })
  }

  async function submit() {
    if (!check.ready()) return
    await saver.run((idempotencyKey) => (existing ? update(existing) : create(idempotencyKey)), existing ? '已保存' : '已录入', back)
  }

  // The two answers are not read: the page goes back to the list, which reloads.
  function update(existing: Commendation): Promise<unknown> {
    return api(updateCommendation, {
      params: { id: existing.id },
      body: {
        version: existing.version,
        category: draft.category,
        level: draft.level,
        year: draft.year,
        title: draft.title.trim() || defaultTitle(draft.year, draft.category),
        awardedOn,
        issuedBy: draft.issuedBy,
        citation: draft.citation,
        campaignId: draft.campaignId,
      },
    })
  }

  function create(idempotencyKey: string): Promise<unknown> {
    return api(createCommendation, {
      idempotencyKey,
      body: {
        category: draft.category,
        ...(forMember ? { memberId: draft.member?.memberId } : { organizationId: draft.organizationId ?? undefined }),
        level: draft.level,
        year: draft.year,
        title: draft.title.trim() || undefined,
        awardedOn,
        issuedBy: draft.issuedBy,
        citation: draft.citation,
        campaignId: draft.campaignId,
      },
    })
  }

  async function withdraw() {
    if (!existing) return
    const ok = await Taro.showModal({
      title: '撤销表彰',
      content: `确定撤销“${existing.subjectName} · ${existing.title}”吗？撤销后不再出现在光荣榜和统计中，操作会留痕。`,
      confirmText: '撤销',
      confirmColor: '#C8161D',
    })
    if (!ok.confirm) return
    await saver.run(() => api(deleteCommendation, { params: { id: existing.id } }), '已撤销', back)
  }

  const branches = (orgs.data?.organizations ?? []).filter((o) => o.kind === 'branch')
  return (
    <View data-testid='commendation-form'>
      <Card title={existing ? '修改表彰' : '录入表彰'} accent>
        <Field label='表彰类别' required>
          {existing ? (
            <Text className='dj-form__hint'>{COMMENDATION_CATEGORY_LABELS[draft.category]}（受表彰对象不能修改，录错请撤销后重新录入）</Text>
          ) : (
            <Chips
              testId='category-choices'
              options={commendationCategories}
              value={draft.category}
              label={(c) => COMMENDATION_CATEGORY_LABELS[c]}
              onChange={(category) => set({ category, member: null, organizationId: null })}
            />
          )}
        </Field>
        {existing ? (
          <Field label='受表彰对象'>
            <Text className='dj-form__hint'>
              {existing.subjectName}（{existing.organizationName}）
            </Text>
          </Field>
        ) : forMember ? (
          <Field label='受表彰党员' required hint='只能表彰在册党员' error={check.of('member')}>
            <MemberPicker value={draft.member} onChange={(member) => set({ member })} search={searchCandidates} />
          </Field>
        ) : (
          <Field label='受表彰党组织' required error={check.of('organization')}>
            {orgs.error ? <Text className='dj-form__error'>{orgs.error}</Text> : null}
            <Chips options={branches.map((b) => b.id)} value={draft.organizationId} label={(id) => branches.find((b) => b.id === id)?.name ?? ''} onChange={(organizationId) => set({ organizationId })} />
          </Field>
        )}
        <Field label='表彰级别' required>
          <Chips testId='level-choices' options={commendationLevels} value={draft.level} label={(l) => COMMENDATION_LEVEL_LABELS[l]} onChange={(level) => set({ level })} />
        </Field>
        <Field label='授予日期' required error={check.of('awardedOn')} testId='f-awarded-on'>
          <DateInput className='dj-form__input' value={draft.awardedOn} onChange={typeAwardedOn} invalid={!!check.of('awardedOn')} testId='awarded-on' />
        </Field>
        <Field label='表彰年度' required hint='年初表彰上一年度先进时，请选上一年度'>
          <Chips options={[awardedYear, awardedYear - 1]} value={draft.year} label={(y) => `${y}年度`} onChange={(year) => set({ year, campaignId: null })} />
        </Field>
        <Field label='荣誉称号' hint={`不填则为“${defaultTitle(draft.year, draft.category)}”`}>
          <Input className='dj-form__input' maxlength={60} value={draft.title} placeholder={defaultTitle(draft.year, draft.category)} onInput={(e) => set({ title: e.detail.value })} />
        </Field>
        <Field label='授予单位' required error={check.of('issuedBy')}>
          <Input className='dj-form__input' maxlength={60} value={draft.issuedBy} placeholder='如：中共红旗镇委员会' onInput={(e) => set({ issuedBy: e.detail.value })} data-testid='issued-by' />
        </Field>
        <Field label='所属表彰活动' hint='活动有名额限制时，名额用完将无法再录入'>
          {campaigns.error ? <Text className='dj-form__error'>{campaigns.error}</Text> : null}
          <Chips
            options={[0, ...(campaigns.data?.campaigns ?? []).map((c) => c.id)]}
            value={draft.campaignId ?? 0}
            label={(id) => {
              if (id === 0) return '不属于任何活动'
              const c = campaigns.data?.campaigns.find((x) => x.id === id)
              if (!c) return ''
              const quota = c.quotas[draft.category]
              return quota == null ? c.name : `${c.name}（已用${c.used[draft.category] ?? 0}/${quota}）`
            }}
            onChange={(id) => set({ campaignId: id === 0 ? null : id })}
          />
        </Field>
        <Field label='事迹简介'>
          <Textarea className='dj-form__textarea' maxlength={500} value={draft.citation} placeholder='简要写明主要事迹（500字以内）' onInput={(e) => set({ citation: e.detail.value })} data-testid='citation' />
        </Field>
        <FormBanner error={check.summary} testId='form-error' />
        <View className='dj-form__submit'>
          <Button type='primary' size='large' block loading={saving} disabled={saving} onClick={() => void submit()} data-testid='submit-commendation'>
            {existing ? '保存修改' : '确认录入'}
          </Button>
        </View>
        {existing ? (
          <View className='dj-form__submit'>
            <Button size='large' block disabled={saving} onClick={() => void withdraw()}>
              撤销这条表彰
            </Button>
          </View>
        ) : null}
      </Card>
    </View>
  )
}
