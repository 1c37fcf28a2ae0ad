/**
 * Shown once a transfer is filed, in weapp only (H5 has no subscribe messages): "进度提醒我" asks
 * WeChat for one message about the next step. Nothing depends on the answer; the member can
 * simply go on to the application's page.
 */
import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useState } from 'react'
import { subscribeTransferProgress } from '@shared/transfers'
import { api, errorMessage } from '@/api'
import { Card } from '@/components/Card'
import { Button } from '@/ui/nutui'

type Phase = 'idle' | 'saving' | 'done' | 'declined'

export function ProgressReminder({ transferId, templateId, onContinue }: { transferId: number; templateId: string; onContinue: () => void }) {
  const [phase, setPhase] = useState<Phase>('idle')
  const [error, setError] = useState<string | null>(null)
  const ask = () => {
    setError(null)
    // Called right in the tap (WeChat refuses it after an await); one acceptance allows one message.
    Taro.requestSubscribeMessage({ tmplIds: [templateId], entityIds: [] })
      .then(async (res) => {
        if ((res as Record<string, unknown>)[templateId] !== 'accept') return setPhase('declined')
        setPhase('saving')
        await api(subscribeTransferProgress, { params: { id: transferId }, body: { templateId } })
        setPhase('done')
      })
      .catch((e: unknown) => {
        setPhase('idle')
        setError(errorMessage(e))
      })
  }
  return (
    <Card title='申请已提交' accent testId='transfer-submitted'>
      <Text className='dj-t-note'>支部和党委会按顺序办理。想在下一步办好时收到微信通知，可以点“进度提醒我”；不点也不影响办理。</Text>
      <View style={{ marginTop: '24px' }}>
        <Button type='primary' fill='outline' size='large' block loading={phase === 'saving'} disabled={phase === 'saving' || phase === 'done'} onClick={ask} data-testid='progress-reminder'>
          {phase === 'done' ? '已订阅，下一步办好时通知您' : phase === 'declined' ? '未订阅，可再点一次' : '进度提醒我（微信通知一次）'}
        </Button>
      </View>
      {error ? (
        <Text className='dj-t-error' data-testid='progress-reminder-error'>
          {error}
        </Text>
      ) : null}
      <View style={{ marginTop: '24px' }}>
        <Button type='primary' size='large' block onClick={onContinue} data-testid='open-transfer'>
          查看申请进度
        </Button>
      </View>
    </Card>
  )
}
