/**
 * 消息: what concerns the signed-in account, newest first. 提醒 at the top are
 * things due now (a political birthday this month, a 回执 overdue, a meeting
 * due soon): they go away by themselves once done. Below, the messages of
 * what happened; tapping one marks it read and opens the record it is about.
 */
import Taro from '@tarojs/taro'
import { View, Text } from '@tarojs/components'
import { useState } from 'react'
import { listMessages, markAllMessagesRead, markMessageRead, MESSAGE_KIND_LABELS, type Message, type MessageTarget, type Reminder } from '@shared/messages'
import { api, errorMessage, useApi } from '@/api'
import { AsyncContent } from '@/components/AsyncContent'
import { SignedInPage } from '@/components/SignedInPage'
import { EmptyState } from '@/components/StateViews'
import { useReloadOnShow } from '@/hooks/useReloadOnShow'
import { ROUTES } from '@/routes'
import { showUnreadBadge } from '@/session/badge'
import { getMe, setMe } from '@/session/store'
import { Button } from '@/ui/nutui'
import { beijingDateTime } from '@/utils/format'
import './index.scss'

/** The page a message or reminder opens: the record it is about. */
function urlOf(type: MessageTarget, id: number | null): string {
  switch (type) {
    case 'registration':
      return ROUTES.me
    case 'transfer':
      return id ? `/packages/transfers/detail/index?id=${id}` : ROUTES.transfers
    case 'feedback':
      return ROUTES.feedback
    case 'birthday':
      return ROUTES.birthdaySignIn
    case 'orglife':
      return ROUTES.orglifeCalendar
  }
}

function open(type: MessageTarget, id: number | null) {
  const url = urlOf(type, id)
  // 我的 is a tab page: only switchTab reaches it.
  if (url === ROUTES.me) void Taro.switchTab({ url })
  else void Taro.navigateTo({ url })
}

/** The 我的 badge follows what was read here without asking the server again. */
function keepBadge(unread: number) {
  const me = getMe()
  if (me && me.unreadMessages !== unread) setMe({ ...me, unreadMessages: unread })
  showUnreadBadge(unread)
}

function ReminderItem({ r }: { r: Reminder }) {
  return (
    <View className='dj-msg__item dj-msg__item--reminder' data-testid='reminder' onClick={() => open(r.targetType, r.targetId)}>
      <Text className='dj-msg__title'>{r.title}</Text>
      <Text className='dj-msg__body'>{r.body}</Text>
      <View className='dj-msg__meta'>
        <Text>提醒</Text>
        <Text className='dj-msg__open'>去办理 ›</Text>
      </View>
    </View>
  )
}

function MessageItem({ m, onRead }: { m: Message; onRead: (m: Message) => Promise<void> }) {
  return (
    <View
      className={`dj-msg__item ${m.read ? '' : 'dj-msg__item--unread'}`}
      data-testid='message'
      data-read={m.read ? 'yes' : 'no'}
      onClick={() => void onRead(m).then(() => open(m.targetType, m.targetId))}
    >
      <Text className='dj-msg__title'>
        {m.read ? null : <Text className='dj-msg__dot' aria-label='未读' />}
        {m.title}
      </Text>
      <Text className='dj-msg__body'>{m.body}</Text>
      <View className='dj-msg__meta'>
        <Text>
          {MESSAGE_KIND_LABELS[m.kind]} · {beijingDateTime(m.createdAt)}
          {m.read ? ' · 已读' : ' · 未读'}
        </Text>
        <Text className='dj-msg__open'>查看 ›</Text>
      </View>
    </View>
  )
}

function MessagesPage() {
  const state = useApi(async () => {
    const first = await api(listMessages, { query: {} })
    keepBadge(first.unreadCount)
    return first
  }, [])
  useReloadOnShow(state.reload)
  const [older, setOlder] = useState<{ items: Message[]; nextBefore: number | null } | null>(null)
  const [readIds, setReadIds] = useState<Set<number>>(new Set())
  const [busy, setBusy] = useState(false)

  const markRead = async (m: Message) => {
    if (m.read || readIds.has(m.id)) return
    try {
      const res = await api(markMessageRead, { params: { id: m.id }, body: {} })
      setReadIds((s) => new Set(s).add(m.id))
      keepBadge(res.unreadCount)
    } catch (e) {
      // Opening the record matters more than the mark: say so and go on.
      void Taro.showToast({ title: errorMessage(e), icon: 'none' })
    }
  }

  const readAll = async () => {
    setBusy(true)
    try {
      await api(markAllMessagesRead, { body: {} })
      keepBadge(0)
      setOlder(null)
      setReadIds(new Set())
      await state.reload()
    } catch (e) {
      void Taro.showToast({ title: errorMessage(e), icon: 'none' })
    } finally {
      setBusy(false)
    }
  }

  const loadMore = async (before: number) => {
    setBusy(true)
    try {
      const next = await api(listMessages, { query: { before } })
      setOlder((o) => ({ items: [...(o?.items ?? []), ...next.items], nextBefore: next.nextBefore }))
    } catch (e) {
      void Taro.showToast({ title: errorMessage(e), icon: 'none' })
    } finally {
      setBusy(false)
    }
  }

  return (
    <View className='dj-msg'>
      <AsyncContent
        state={state}
        isEmpty={(d) => d.items.length === 0 && d.reminders.length === 0}
        empty={<EmptyState title='还没有消息' description='登记审核、转接进度、投诉建议的答复和到期提醒会出现在这里。' />}
      >
        {(data) => {
          const items = [...data.items, ...(older?.items ?? [])].map((m) => (readIds.has(m.id) ? { ...m, read: true } : m))
          const unread = items.filter((m) => !m.read).length
          const nextBefore = older ? older.nextBefore : data.nextBefore
          return (
            <>
              {data.reminders.length > 0 ? (
                <View data-testid='reminders'>
                  <Text className='dj-msg__heading'>提醒（{data.reminders.length}项）</Text>
                  {data.reminders.map((r) => (
                    <ReminderItem key={r.key} r={r} />
                  ))}
                </View>
              ) : null}
              {items.length > 0 ? (
                <View data-testid='messages'>
                  <View className='dj-msg__heading'>
                    <Text>消息{unread > 0 ? `（${unread}条未读）` : ''}</Text>
                    {unread > 0 ? (
                      <Button size='large' disabled={busy} onClick={() => void readAll()} data-testid='read-all'>
                        全部已读
                      </Button>
                    ) : null}
                  </View>
                  {items.map((m) => (
                    <MessageItem key={m.id} m={m} onRead={markRead} />
                  ))}
                  {nextBefore ? (
                    <Button className='dj-msg__more' size='large' block disabled={busy} onClick={() => void loadMore(nextBefore)}>
                      查看更早的消息
                    </Button>
                  ) : null}
                </View>
              ) : null}
            </>
          )
        }}
      </AsyncContent>
    </View>
  )
}

export default function Page() {
  return <SignedInPage>{() => <MessagesPage />}</SignedInPage>
}
