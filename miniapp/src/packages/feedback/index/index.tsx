/**
 * 投诉建议: anyone signed in writes a complaint or a suggestion (about the app or
 * the township's work, optionally without their name shown), sees its state and
 * reads the reply. Township staff handle their township's (承办, 答复, 办结);
 * county staff those handled one level up (about the township committee, or
 * sent by staff). Nothing can be deleted; each step stays in the history.
 */
import { View, Text, Textarea } from '@tarojs/components'
import { useState } from 'react'
import type { MeResponse } from '@shared/auth'
import { allowed } from '@shared/http'
import {
  assignFeedback,
  closeFeedback,
  FEEDBACK_ACTION_LABELS,
  FEEDBACK_KIND_LABELS,
  FEEDBACK_LEVEL_LABELS,
  FEEDBACK_STATE_LABELS,
  FEEDBACK_TEXT_MAX,
  FEEDBACK_TEXT_MIN,
  FEEDBACK_TOPIC_LABELS,
  feedbackHandledBy,
  feedbackKinds,
  feedbackTopics,
  listFeedback,
  replyFeedback,
  sendFeedback,
  type FeedbackItem,
  type FeedbackKind,
  type FeedbackTopic,
} from '@shared/feedback'
import { api, errorMessage, useApi } from '@/api'
import { AsyncContent } from '@/components/AsyncContent'
import { Card } from '@/components/Card'
import { SignedInPage } from '@/components/SignedInPage'
import { EmptyState } from '@/components/StateViews'
import { useInputKey } from '@/hooks/useInputKey'
import { useReloadOnShow } from '@/hooks/useReloadOnShow'
import { Button } from '@/ui/nutui'
import { beijingDateTime } from '@/utils/format'
import './index.scss'

/** Who will handle what this caller sends on this topic (the same rule the server applies). */
const levelFor = (me: MeResponse, topic: FeedbackTopic) =>
  feedbackHandledBy(topic, { role: me.account.role, hasTownship: me.account.role !== 'county' && me.account.organization != null })

function Form({ me, onSent }: { me: MeResponse; onSent: () => Promise<void> }) {
  const [kind, setKind] = useState<FeedbackKind>('suggestion')
  const [topic, setTopic] = useState<FeedbackTopic>('app')
  const [text, setText] = useState('')
  const [anonymous, setAnonymous] = useState(false)
  const [busy, setBusy] = useState(false)
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null)
  const keyed = useInputKey()

  const submit = async () => {
    const body = { kind, topic, text: text.trim(), anonymous }
    if (body.text.length < FEEDBACK_TEXT_MIN) return setMessage({ ok: false, text: `内容至少${FEEDBACK_TEXT_MIN}个字` })
    setBusy(true)
    setMessage(null)
    try {
      await api(sendFeedback, { body, idempotencyKey: keyed.keyFor(body) })
      keyed.done()
      setText('')
      setMessage({ ok: true, text: `已提交，${FEEDBACK_LEVEL_LABELS[levelFor(me, topic)]}会尽快答复，答复后在下面可以看到。` })
      await onSent()
    } catch (e) {
      setMessage({ ok: false, text: errorMessage(e) })
    } finally {
      setBusy(false)
    }
  }

  return (
    <Card accent title='写投诉或建议' testId='feedback-form'>
      <View className='dj-fb__chips'>
        {feedbackKinds.map((k) => (
          <View key={k} className={`dj-fb__chip ${kind === k ? 'dj-fb__chip--on' : ''}`} onClick={() => setKind(k)} data-testid={`kind-${k}`}>
            {FEEDBACK_KIND_LABELS[k]}
          </View>
        ))}
      </View>
      <View className='dj-fb__chips'>
        {feedbackTopics.map((t) => (
          <View key={t} className={`dj-fb__chip ${topic === t ? 'dj-fb__chip--on' : ''}`} onClick={() => setTopic(t)} data-testid={`topic-${t}`}>
            {FEEDBACK_TOPIC_LABELS[t]}
          </View>
        ))}
      </View>
      <Text className='dj-fb__hint' data-testid='feedback-handler'>
        由{FEEDBACK_LEVEL_LABELS[levelFor(me, topic)]}办理{levelFor(me, topic) === 'county' ? '，镇党委看不到' : ''}
      </Text>
      <Textarea
        className='dj-fb__text'
        maxlength={FEEDBACK_TEXT_MAX}
        value={text}
        placeholder={`请写下您的意见（${FEEDBACK_TEXT_MIN}到${FEEDBACK_TEXT_MAX}字）`}
        onInput={(e) => setText(e.detail.value)}
        data-testid='feedback-text'
      />
      <Text className='dj-fb__count'>{text.length}/{FEEDBACK_TEXT_MAX}</Text>
      <View className={`dj-fb__check ${anonymous ? 'dj-fb__check--on' : ''}`} onClick={() => setAnonymous(!anonymous)} data-testid='feedback-anonymous'>
        <Text className='dj-fb__box'>{anonymous ? '✓' : ''}</Text>
        <Text>不显示我的姓名（匿名）</Text>
      </View>
      {message ? <Text className={`dj-fb__message ${message.ok ? '' : 'dj-fb__message--error'}`} data-testid='feedback-message'>{message.text}</Text> : null}
      <Button type='primary' size='large' block loading={busy} disabled={busy} onClick={() => void submit()}>
        提交
      </Button>
    </Card>
  )
}

function StaffActions({ item, onDone }: { item: FeedbackItem; onDone: () => Promise<void> }) {
  const [reply, setReply] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const keyed = useInputKey()
  const run = async (what: 'assign' | 'reply' | 'close') => {
    const input = { what, id: item.id, reply: reply.trim() }
    if (what === 'reply' && !input.reply) return setError('请填写答复')
    const idempotencyKey = keyed.keyFor(input)
    setBusy(true)
    setError(null)
    try {
      const params = { id: item.id }
      if (what === 'assign') await api(assignFeedback, { params, body: {}, idempotencyKey })
      if (what === 'reply') await api(replyFeedback, { params, body: { reply: input.reply }, idempotencyKey })
      if (what === 'close') await api(closeFeedback, { params, body: {}, idempotencyKey })
      keyed.done()
      setReply('')
      await onDone()
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }
  if (item.state === 'closed') return null
  return (
    <View className='dj-fb__actions'>
      <Textarea className='dj-fb__text dj-fb__text--reply' maxlength={500} value={reply} placeholder='写答复（提交人可以看到）' onInput={(e) => setReply(e.detail.value)} data-testid='reply-text' />
      {error ? <Text className='dj-fb__message dj-fb__message--error'>{error}</Text> : null}
      <View className='dj-fb__buttons'>
        {item.state === 'open' ? (
          <Button size='large' disabled={busy} onClick={() => void run('assign')}>
            我来承办
          </Button>
        ) : null}
        <Button type='primary' size='large' disabled={busy} onClick={() => void run('reply')} data-testid='send-reply'>
          答复
        </Button>
        <Button size='large' disabled={busy} onClick={() => void run('close')}>
          办结
        </Button>
      </View>
    </View>
  )
}

function Item({ item, staff, onChanged }: { item: FeedbackItem; staff: boolean; onChanged: () => Promise<void> }) {
  return (
    <Card
      title={`${FEEDBACK_KIND_LABELS[item.kind]} · ${FEEDBACK_TOPIC_LABELS[item.topic]}`}
      testId='feedback-item'
      extra={<Text className={`dj-fb__state dj-fb__state--${item.state}`} data-testid='feedback-state'>{FEEDBACK_STATE_LABELS[item.state]}</Text>}
    >
      <Text className='dj-fb__body'>{item.text}</Text>
      <Text className='dj-fb__meta'>
        {beijingDateTime(item.createdAt)}
        {staff ? ` · ${item.anonymous ? '匿名' : (item.senderName ?? '')}` : item.anonymous ? ' · 匿名提交' : ''}
        {item.assignedToName ? ` · 承办：${item.assignedToName}` : ''}
      </Text>
      {item.reply ? (
        <View className='dj-fb__reply' data-testid='feedback-reply'>
          <Text className='dj-fb__reply-title'>{FEEDBACK_LEVEL_LABELS[item.handledBy]}答复{item.repliedAt ? `（${beijingDateTime(item.repliedAt)}）` : ''}</Text>
          <Text className='dj-fb__body'>{item.reply}</Text>
        </View>
      ) : null}
      <Text className='dj-fb__meta'>{item.history.map((h) => `${FEEDBACK_ACTION_LABELS[h.action]} ${beijingDateTime(h.at)}`).join(' → ')}</Text>
      {staff ? <StaffActions item={item} onDone={onChanged} /> : null}
    </Card>
  )
}

function FeedbackPage({ me }: { me: MeResponse }) {
  // Township staff and county staff each handle their level's (the server decides which they see).
  const staff = allowed(assignFeedback.access, me.account.role, assignFeedback.method)
  const heading = me.account.role === 'county' ? '由县委组织部办理的投诉建议' : '本镇收到的投诉建议'
  const state = useApi(() => api(listFeedback, { query: {} }), [])
  useReloadOnShow(state.reload)
  return (
    <View className='dj-fb'>
      <Form me={me} onSent={state.reload} />
      <Text className='dj-fb__heading'>{staff ? `${heading}（未办结 ${state.data?.openCount ?? 0} 件）` : '我提交的'}</Text>
      <AsyncContent
        state={state}
        isEmpty={(d) => d.items.length === 0}
        empty={<EmptyState title='还没有投诉建议' description='有意见或建议，写在上面提交即可。' />}
      >
        {(data) => (
          <View data-testid='feedback-list'>
            {data.items.map((i) => (
              <Item key={i.id} item={i} staff={staff && !i.mine} onChanged={state.reload} />
            ))}
          </View>
        )}
      </AsyncContent>
    </View>
  )
}

export default function Page() {
  return <SignedInPage>{(me) => <FeedbackPage me={me} />}</SignedInPage>
}
