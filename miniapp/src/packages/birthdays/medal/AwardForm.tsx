/** 登记颁发: the date of the presentation and who presented it; one record per member, retry-safe. */
import { View, Text, Input } from '@tarojs/components'
import { useState } from 'react'
import { shanghaiDate } from '@shared/calendar'
import { recordMedalAward } from '@shared/medals'
import { api } from '@/api'
import { DateInput, Field, dateProblem, dateValue } from '@/components/form/FormParts'
import { useSave } from '@/components/form/SaveRow'
import { useLiveCheck } from '@/components/form/useLiveCheck'
import { Button } from '@/ui/nutui'
import '@/components/form/FormBoxes.scss'

export function AwardForm({ memberId, name, onDone, onCancel }: { memberId: number; name: string; onDone: () => void; onCancel: () => void }) {
  const [awardedOn, setAwardedOn] = useState(shanghaiDate(new Date()))
  const [presentedBy, setPresentedBy] = useState('')
  const check = useLiveCheck({ awardedOn: dateProblem(awardedOn, '颁发日期'), presentedBy: !presentedBy.trim() && '请填写颁发人' }, [awardedOn, presentedBy])
  // One key per award (useSave's): a retried tap or a lost answer records it once.
  const saver = useSave({ fail: check.fail })
  const saving = saver.saving

  async function submit() {
    if (!check.ready()) return
    const date = dateValue(awardedOn)
    await saver.run((idempotencyKey) => api(recordMedalAward, { idempotencyKey, body: { memberId, awardedOn: date, presentedBy: presentedBy.trim() } }), '已登记颁发', onDone)
  }

  return (
    <View className='dj-bday__award-form' data-testid='medal-award-form'>
      <Text className='dj-bday__meta'>为{name}登记颁发“光荣在党50年”纪念章</Text>
      <Field label='颁发日期' required error={check.of('awardedOn')}>
        <DateInput className='dj-form__input' value={awardedOn} placeholder='如 2026-06-28 或 2026年6月28日' onChange={setAwardedOn} invalid={!!check.of('awardedOn')} testId='medal-awarded-on' />
      </Field>
      <Field label='颁发人' required hint='如：镇党委书记 王建国' error={check.of('presentedBy')}>
        <Input className='dj-form__input' maxlength={60} value={presentedBy} onInput={(e) => setPresentedBy(e.detail.value)} data-testid='medal-presented-by' />
      </Field>
      {check.failed ? (
        <Text className='dj-form-error' data-testid='medal-error'>
          {check.failed}
        </Text>
      ) : null}
      <View className='dj-bday__award-actions'>
        <Button type='primary' size='large' loading={saving} disabled={saving} onClick={() => void submit()} data-testid='medal-submit'>
          确认登记
        </Button>
        <Button size='large' disabled={saving} onClick={onCancel}>
          取消
        </Button>
      </View>
    </View>
  )
}
