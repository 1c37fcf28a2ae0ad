/**
 * Reads that survive a dead network: the last answer of 首页, 学习 and 政治生日
 * kept per account, shown offline with "离线 · 上次更新 …" instead of an error.
 */
import { ApiError } from '@/api/errors'
import { currentAccountId, taroStore, type KeyValueStore } from './storage'

/** The data, and when it was saved when it comes from the phone instead of the server. */
export type Cached<T> = T & { offlineSavedAt: string | null }

interface Saved<T> {
  savedAt: string
  data: T
}

/** No answer at all (as opposed to the server saying no): the moment to show what the phone kept. */
export function isNoAnswer(error: unknown): boolean {
  return error instanceof ApiError && error.transient
}

export async function readThrough<T extends object>(name: string, load: () => Promise<T>, store: KeyValueStore = taroStore): Promise<Cached<T>> {
  const account = currentAccountId(store)
  const key = account === null ? null : `dangjian.offline.read.${account}.${name}`
  try {
    const data = await load()
    if (key) store.set(key, { savedAt: new Date().toISOString(), data } satisfies Saved<T>)
    return { ...data, offlineSavedAt: null }
  } catch (error) {
    const saved = key && isNoAnswer(error) ? (store.get(key) as Saved<T> | undefined) : undefined
    if (saved && typeof saved.savedAt === 'string' && saved.data) return { ...saved.data, offlineSavedAt: saved.savedAt }
    throw error
  }
}
