/**
 * 节假日安排: the holidays and make-up working days (调休上班) the 公示 working days are counted on.
 * County staff keep it a year at a time (the State Council publishes next year's each November);
 * officers read it. A year with no list is said plainly: until it is entered, Monday to Friday count.
 */
import { View, Text, Input } from '@tarojs/components'
import { useEffect, useState } from 'react'
import type { MeResponse } from '@shared/auth'
import { getWorkCalendar, putWorkCalendar, putWorkCalendarBody, unlistedYearsNote, WORK_CALENDAR_KIND_LABELS, workCalendarKinds, type WorkCalendarKind } from '@shared/development'
import { isIsoDate, shanghaiYear } from '@shared/calendar'
import { api, useApi } from '@/api'
import { AsyncContent } from '@/components/AsyncContent'
import { Card } from '@/components/Card'
import { Chips, DateInput, Field, dateValue } from '@/components/form/FormParts'
import { SaveRow, useSave } from '@/components/form/SaveRow'
import { SignedInPage } from '@/components/SignedInPage'
import { EmptyState } from '@/components/StateViews'
import { Button } from '@/ui/nutui'
import { formatDateCn } from '@/utils/format'
import '../shared/development.scss'
import '../../settings/shared/settings.scss'

interface Day {
  day: string
  kind: WorkCalendarKind
  note: string
}

function YearEditor({ year, initial, editable, onSaved }: { year: number; initial: readonly Day[]; editable: boolean; onSaved: () => void }) {
  const [days, setDays] = useState<Day[]>([...initial])
  const [day, setDay] = useState('')
  const [kind, setKind] = useState<WorkCalendarKind>('holiday')
  const [note, setNote] = useState('')
  const saver = useSave()
  const setError = saver.setError
  useEffect(() => setDays([...initial]), [initial])

  function add() {
    const d = dateValue(day)
    if (!isIsoDate(d)) return setError('请填写日期，如 2027-01-01')
    const next = [...days.filter((x) => x.day !== d), { day: d, kind, note: note.trim() }].sort((a, b) => (a.day < b.day ? -1 : 1))
    const checked = putWorkCalendarBody(year).safeParse({ days: next })
    if (!checked.success) return setError(checked.error.issues[0]?.message ?? '请检查日期')
    setError(null)
    setDays(next)
    setDay('')
  }

  const save = () => saver.run((idempotencyKey) => api(putWorkCalendar, { params: { year }, body: { days }, idempotencyKey }), '已保存', onSaved)

  return (
    <View>
      <Card title={`${year}年安排（${days.length}天）`} testId='calendar-days'>
        {days.length === 0 ? <EmptyState title={`${year}年还没有录入`} /> : null}
        {days.map((d) => (
          <View key={d.day} className='dj-settings__row' data-testid='calendar-day'>
            <Text>
              {formatDateCn(d.day)} {WORK_CALENDAR_KIND_LABELS[d.kind]} {d.note}
            </Text>
            {editable ? (
              <Button size='small' onClick={() => setDays(days.filter((x) => x.day !== d.day))}>
                删除
              </Button>
            ) : null}
          </View>
        ))}
      </Card>
      {editable ? (
        <Card title='添加一天' testId='calendar-add'>
          <Field label='日期'>
            <DateInput value={day} onChange={(v) => { setDay(v); if (isIsoDate(dateValue(v))) setError(null) }} placeholder={`如 ${year}-01-01`} className='dj-settings__input' testId='calendar-date' />
          </Field>
          <Field label='类型' hint='“调休上班”是国务院通知里要上班的周六或周日。'>
            <Chips options={workCalendarKinds} value={kind} onChange={setKind} label={(k) => WORK_CALENDAR_KIND_LABELS[k]} testId='calendar-kind' />
          </Field>
          <Field label='说明'>
            <Input className='dj-settings__input' maxlength={20} placeholder='如 元旦、春节调休' value={note} onInput={(e) => setNote(e.detail.value)} data-testid='calendar-note' />
          </Field>
          <Button size='large' block onClick={add} data-testid='calendar-add-day'>
            添加到列表
          </Button>
          <SaveRow state={saver} onSave={save} label={`保存${year}年安排`} primary testId='calendar-save' errorTestId='form-error' />
        </Card>
      ) : null}
    </View>
  )
}

function WorkCalendar({ me }: { me: MeResponse }) {
  const thisYear = shanghaiYear(new Date())
  const [year, setYear] = useState(thisYear)
  const state = useApi(() => api(getWorkCalendar, { query: { year } }), [year])
  const editable = me.account.role === 'county'
  return (
    <View data-testid='work-calendar'>
      <Card accent title='节假日与调休上班'>
        <Text className='dj-settings__explain'>发展党员的公示期按工作日计算：周一至周五上班，国家法定节假日放假，调休的周六周日上班。每年国务院公布下一年的安排后，由县委组织部在这里录入。</Text>
        <Chips options={[thisYear - 1, thisYear, thisYear + 1]} value={year} onChange={setYear} label={(y) => `${y}年`} testId='calendar-year' />
      </Card>
      <AsyncContent state={state} loadingText='正在加载节假日安排…'>
        {(d) => (
          <View>
            {d.listedYears.includes(d.year) ? null : (
              <Card testId='calendar-missing'>
                <Text className='dj-settings__now'>{unlistedYearsNote([d.year])}。</Text>
              </Card>
            )}
            <YearEditor year={d.year} initial={d.days} editable={editable} onSaved={() => void state.reload()} />
          </View>
        )}
      </AsyncContent>
    </View>
  )
}

export default function WorkCalendarPage() {
  return <SignedInPage gate='officer'>{(me) => <WorkCalendar me={me} />}</SignedInPage>
}
