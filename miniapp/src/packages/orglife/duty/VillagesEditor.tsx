/** Ticking the villages (支部) one leader is assigned to (包村), and saving them with a key kept across retries. */
import { View, Text } from '@tarojs/components'
import { useState } from 'react'
import { putLectureDuty, type LectureDutyResponse } from '@shared/orglife'
import { api, errorMessage } from '@/api'
import { useInputKey } from '@/hooks/useInputKey'
import { Button } from '@/ui/nutui'

interface Props {
  memberId: number
  branches: LectureDutyResponse['branches']
  initial: readonly number[]
  onSaved: (d: LectureDutyResponse) => void
}

export function VillagesEditor({ memberId, branches, initial, onSaved }: Props) {
  const [picked, setPicked] = useState<number[]>([...initial])
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const key = useInputKey()
  const toggle = (id: number) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p, id]))

  const save = async () => {
    const body = { branchIds: branches.map((b) => b.organizationId).filter((id) => picked.includes(id)) }
    setBusy(true)
    setError(null)
    try {
      onSaved(await api(putLectureDuty, { params: { id: memberId }, body, idempotencyKey: key.keyFor([memberId, body]) }))
      key.done()
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <View data-testid='villages-editor'>
      <Text className='dj-ol__label'>所包的村（可选多个，都不选即取消包村）</Text>
      <View className='dj-ol__chips'>
        {branches.map((b) => (
          <View key={b.organizationId} data-testid='village-choice' className={`dj-ol__chip ${picked.includes(b.organizationId) ? 'dj-ol__chip--on' : ''}`} onClick={() => toggle(b.organizationId)}>
            {picked.includes(b.organizationId) ? '✓ ' : ''}
            {b.name}
          </View>
        ))}
      </View>
      {error ? <Text className='dj-ol__error' data-testid='duty-error'>{error}</Text> : null}
      <Button type='primary' size='large' block loading={busy} disabled={busy} onClick={() => void save()}>
        保存包村
      </Button>
    </View>
  )
}
