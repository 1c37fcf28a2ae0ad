/**
 * The signed-in account (GET /api/me), shared by every page. Tab pages stay
 * mounted, so they subscribe instead of each keeping a copy.
 */
import { useSyncExternalStore } from 'react'
import type { MeResponse } from '@shared/auth'

let current: MeResponse | null = null
const listeners = new Set<() => void>()

export function getMe(): MeResponse | null {
  return current
}

export function setMe(me: MeResponse | null): void {
  current = me
  listeners.forEach((listener) => listener())
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export function useMeSnapshot(): MeResponse | null {
  return useSyncExternalStore(subscribe, getMe, getMe)
}
