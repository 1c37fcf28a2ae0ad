/**
 * 现场照片（可不传）on a meeting's record, for its officers: never asked for (国办函〔2026〕12号: no work
 * photos without need), so the empty state says the record is complete without any. Pictures are
 * checked on the phone by the server's rules, sent one by one with their progress; a failed one keeps
 * its Idempotency-Key, so 重试 after a lost answer never stores it twice. Tap a picture to see it large;
 * 删除 asks first. County staff only look.
 */
import Taro from '@tarojs/taro'
import { View, Text, Image } from '@tarojs/components'
import { useEffect, useRef, useState } from 'react'
import { deleteMeetingPhoto, listMeetingPhotos, PHOTO_MESSAGES, type PhotoMeta } from '@shared/orglife'
import { api, errorMessage, newIdempotencyKey, useApi } from '@/api'
import { imageSource } from '@/api/download'
import { uploadRaw } from '@/api/upload'
import { AsyncContent } from '@/components/AsyncContent'
import { Card } from '@/components/Card'
import { Button } from '@/ui/nutui'
import { choosePhotos, type ChosenPhoto } from './photo-files'
import './photos.scss'

interface Pending extends ChosenPhoto {
  localId: string
  key: string
  /** null: waiting its turn; 0–1 while it goes up. */
  fraction: number | null
  /** Shown under it; `final` ones (too large, too many, not a picture) offer 移除, the others 重试 too. */
  error: { message: string; final: boolean } | null
}

const photoPath = (id: number) => `/api/orglife/photos/${id}`
const FINAL_STATUSES = [400, 403, 404, 409, 413, 415, 422]

export function MeetingPhotos({ meetingId, canEdit }: { meetingId: number; canEdit: boolean }) {
  const state = useApi(() => api(listMeetingPhotos, { params: { id: meetingId } }), [meetingId])
  const [stored, setStored] = useState<PhotoMeta[]>([])
  const [sources, setSources] = useState<Record<number, string>>({})
  const [pending, setPending] = useState<Pending[]>([])
  const [message, setMessage] = useState<string | null>(null)
  const sending = useRef(false)
  const max = state.data?.maxPhotos ?? 9

  useEffect(() => {
    if (state.data) setStored(state.data.photos)
  }, [state.data])

  // Each stored picture is fetched once, with the token (an <Image> cannot send it).
  useEffect(() => {
    for (const p of stored) {
      if (sources[p.id]) continue
      imageSource(photoPath(p.id)).then(
        (src) => setSources((all) => ({ ...all, [p.id]: src })),
        () => undefined,
      )
    }
  }, [stored, sources])

  const update = (localId: string, change: Partial<Pending>) => setPending((all) => all.map((p) => (p.localId === localId ? { ...p, ...change } : p)))

  const sendOne = async (item: Pending) => {
    if (!item.bytes || !item.mimeType) return
    update(item.localId, { fraction: 0, error: null })
    try {
      const photo = await uploadRaw<PhotoMeta>({
        path: `/api/orglife/meetings/${meetingId}/photos`,
        body: item.bytes,
        contentType: item.mimeType,
        idempotencyKey: item.key,
        onProgress: (fraction) => update(item.localId, { fraction }),
      })
      setPending((all) => all.filter((p) => p.localId !== item.localId))
      setSources((all) => ({ ...all, [photo.id]: item.src }))
      setStored((all) => (all.some((p) => p.id === photo.id) ? all : [...all, photo]))
    } catch (e) {
      const status = (e as { status?: number | null }).status ?? null
      update(item.localId, { fraction: null, error: { message: errorMessage(e), final: status !== null && FINAL_STATUSES.includes(status) } })
    }
  }

  const sendAll = async (items: Pending[]) => {
    if (sending.current) return
    sending.current = true
    try {
      for (const item of items) await sendOne(item)
    } finally {
      sending.current = false
    }
  }

  const add = async () => {
    setMessage(null)
    const room = max - stored.length - pending.filter((p) => !p.error?.final).length
    if (room <= 0) return setMessage(PHOTO_MESSAGES.tooMany)
    const { photos: chosen, unreadable } = await choosePhotos(room)
    if (unreadable) return setMessage(PHOTO_MESSAGES.notPicture)
    if (!chosen.length) return
    const items: Pending[] = chosen.slice(0, room).map((c) => ({
      ...c,
      localId: newIdempotencyKey(),
      key: newIdempotencyKey(),
      fraction: null,
      error: c.problem ? { message: c.problem, final: true } : null,
    }))
    setPending((all) => [...all, ...items])
    await sendAll(items.filter((i) => !i.error))
  }

  const remove = async (photo: PhotoMeta) => {
    const ok = await Taro.showModal({ title: '删除照片', content: '删除后照片内容即清除，不能恢复。确定删除这张照片吗？', confirmText: '删除', confirmColor: '#C8161D' })
    if (!ok.confirm) return
    setMessage(null)
    try {
      await api(deleteMeetingPhoto, { params: { id: photo.id } })
      setStored((all) => all.filter((p) => p.id !== photo.id))
    } catch (e) {
      setMessage(errorMessage(e))
    }
  }

  const preview = (photo: PhotoMeta) => {
    const urls = stored.map((p) => sources[p.id]).filter((u): u is string => Boolean(u))
    const current = sources[photo.id]
    if (current) void Taro.previewImage({ urls, current })
  }

  return (
    <Card title='现场照片（可不传）' testId='meeting-photos'>
      <AsyncContent state={state}>
        {() => (
          <View>
            {stored.length === 0 && pending.length === 0 ? (
              <Text className='dj-ph__empty' data-testid='photos-empty'>
                暂无现场照片。{PHOTO_MESSAGES.optional}。
              </Text>
            ) : (
              <Text className='dj-ol__hint'>
                {PHOTO_MESSAGES.optional}。已有 {stored.length} 张，最多 {max} 张，每张不超过 2 MB。
              </Text>
            )}
            <View className='dj-ph__grid'>
              {stored.map((p) => (
                <View key={p.id} className='dj-ph__cell' data-testid='photo' data-photo-id={p.id}>
                  {sources[p.id] ? (
                    <Image className='dj-ph__img' src={sources[p.id]!} mode='aspectFill' onClick={() => preview(p)} data-testid='photo-thumb' />
                  ) : (
                    <View className='dj-ph__img dj-ph__img--loading'>加载中…</View>
                  )}
                  {canEdit ? (
                    <View className='dj-ph__action' onClick={() => void remove(p)} data-testid='photo-delete'>
                      删除
                    </View>
                  ) : null}
                </View>
              ))}
              {pending.map((p) => (
                <View key={p.localId} className='dj-ph__cell' data-testid='photo-pending'>
                  <Image className='dj-ph__img dj-ph__img--pending' src={p.src} mode='aspectFill' />
                  {p.error ? (
                    <View>
                      <Text className='dj-ph__error' data-testid='photo-error'>
                        {p.error.message}
                      </Text>
                      {!p.error.final ? (
                        <View className='dj-ph__action' onClick={() => void sendAll([p])} data-testid='photo-retry'>
                          重试
                        </View>
                      ) : null}
                      <View className='dj-ph__action' onClick={() => setPending((all) => all.filter((x) => x.localId !== p.localId))}>
                        移除
                      </View>
                    </View>
                  ) : (
                    <Text className='dj-ph__progress'>{p.fraction === null ? '等待上传…' : `正在上传 ${Math.round(p.fraction * 100)}%`}</Text>
                  )}
                </View>
              ))}
            </View>
            {message ? (
              <Text className='dj-ol__error' data-testid='photos-message'>
                {message}
              </Text>
            ) : null}
            {canEdit ? (
              <Button size='large' block onClick={() => void add()} data-testid='photos-add'>
                添加现场照片
              </Button>
            ) : null}
          </View>
        )}
      </AsyncContent>
    </Card>
  )
}
