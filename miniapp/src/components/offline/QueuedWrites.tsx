/**
 * The writes that had to wait for the network, with their state: 待上传 →
 * 已上传, or 未被接受 with the server's reason (kept until the member reads it).
 */
import { View, Text } from '@tarojs/components'
import { Card } from '@/components/Card'
import { QUEUED_STATE_LABELS, useQueuedWrites, writeQueue } from '@/offline'
import './offline.scss'
import { beijingDateTime } from '@/utils/format'

export function QueuedWrites() {
  const writes = useQueuedWrites().filter((w) => w.waited || w.state !== 'sent')
  if (writes.length === 0) return null
  const pending = writes.filter((w) => w.state === 'pending').length
  return (
    <Card title='离线记录' testId='queued-writes'>
      {pending > 0 ? <Text className='dj-offline__hint'>没有网络时记下的，有网络后自动上传，不会重复记录。</Text> : null}
      {writes.map((w) => (
        <View key={w.key} className={`dj-offline__item dj-offline__item--${w.state}`} data-testid='queued-write' data-state={w.state}>
          <View className='dj-offline__main'>
            <Text className='dj-offline__summary'>{w.summary}</Text>
            {w.outcome ? <Text className='dj-offline__outcome'>{w.outcome}</Text> : null}
          </View>
          <View className='dj-offline__side'>
            <Text className='dj-offline__state'>{QUEUED_STATE_LABELS[w.state]}</Text>
            {w.state === 'pending' ? (
              <Text className='dj-offline__action' onClick={() => void writeQueue.flush()}>
                重试
              </Text>
            ) : (
              <Text className='dj-offline__action' onClick={() => writeQueue.dismiss(w.key)}>
                知道了
              </Text>
            )}
          </View>
        </View>
      ))}
    </Card>
  )
}

/** "离线 · 上次更新 …" above data the phone kept, when the server could not be reached. */
export function OfflineNote({ savedAt, onRetry }: { savedAt: string | null; onRetry?: () => void }) {
  if (!savedAt) return null
  return (
    <View className='dj-offline__note' data-testid='offline-note' role='status'>
      <Text>
        离线 · 上次更新 {beijingDateTime(savedAt)}
      </Text>
      {onRetry ? (
        <Text className='dj-offline__action' onClick={onRetry}>
          刷新
        </Text>
      ) : null}
    </View>
  )
}
