import { View, Text, Input } from '@tarojs/components'
import { useState } from 'react'
import { useApi } from '@/api'
import './FormBoxes.scss'

/** What a picked roster entry shows: enough to tell two people of the same name apart. */
export interface PickableMember {
  memberId: number
  name: string
  organizationName: string
}

/**
 * Name search over the active members the caller may see (`search` says where: the township's candidates for a
 * commendation, one branch's roster for an invitation); tap a result to choose.
 */
export function MemberPicker<T extends PickableMember>({
  value,
  onChange,
  search,
  placeholder = '输入姓名查找在册党员',
}: {
  value: T | null
  onChange: (c: T | null) => void
  search: (q: string) => Promise<T[]>
  placeholder?: string
}) {
  const [q, setQ] = useState('')
  const results = useApi(() => (q.trim() ? search(q.trim()) : Promise.resolve([])), [q])
  if (value) {
    // Only the small link on the right un-picks: the tap that picked must not land on it and undo the choice.
    return (
      <View className='dj-form__picked' data-testid='picked-member'>
        <Text className='dj-form__picked-name'>
          {value.name}（{value.organizationName}）
        </Text>
        <Text className='dj-form__picked-change' onClick={() => onChange(null)}>
          重新选择
        </Text>
      </View>
    )
  }
  return (
    <View>
      <Input className='dj-form__input' placeholder={placeholder} value={q} onInput={(e) => setQ(e.detail.value)} data-testid='member-search' />
      {results.error ? <Text className='dj-form__error'>{results.error}</Text> : null}
      <View className='dj-form__choices' style={{ marginTop: '16px' }}>
        {(results.data ?? []).map((c) => (
          <View key={c.memberId} className='dj-form__choice' data-testid='member-option' onClick={() => onChange(c)}>
            <Text>
              {c.name}（{c.organizationName}）
            </Text>
          </View>
        ))}
      </View>
      {q.trim() && results.data && results.data.length === 0 ? <Text className='dj-form__hint'>没有找到姓名含“{q.trim()}”的在册党员</Text> : null}
    </View>
  )
}
