import { View, Text, Input } from '@tarojs/components'
import { useState } from 'react'
import { listCandidates, type Candidate } from '@shared/commendations'
import { api, useApi } from '@/api'

/** Name search over the township's active members; tap a result to choose. */
export function MemberPicker({ value, onChange }: { value: Candidate | null; onChange: (c: Candidate | null) => void }) {
  const [q, setQ] = useState('')
  const results = useApi(() => (q.trim() ? api(listCandidates, { query: { q: q.trim() } }) : Promise.resolve({ candidates: [] })), [q])
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
      <Input className='dj-form__input' placeholder='输入姓名查找在册党员' value={q} onInput={(e) => setQ(e.detail.value)} data-testid='member-search' />
      {results.error ? <Text className='dj-form__error'>{results.error}</Text> : null}
      <View className='dj-form__choices' style={{ marginTop: '16px' }}>
        {(results.data?.candidates ?? []).map((c) => (
          <View key={c.memberId} className='dj-form__choice' data-testid='member-option' onClick={() => onChange(c)}>
            <Text>
              {c.name}（{c.organizationName}）
            </Text>
          </View>
        ))}
      </View>
      {q.trim() && results.data && results.data.candidates.length === 0 ? <Text className='dj-form__hint'>没有找到姓名含“{q.trim()}”的在册党员</Text> : null}
    </View>
  )
}
