/**
 * useReloadOnShow: a tab page stays mounted and a list page is shown again after
 * the page it opened closes; the data is fetched again then, not on the first show.
 */
import { act, render, screen } from '@testing-library/react'
import { afterEach, expect, test } from 'vitest'
import { View } from '@tarojs/components'
import { useApi } from '@/api/useApi'
import { useReloadOnShow } from '@/hooks/useReloadOnShow'
import { resetTaroShim, showPageAgain } from './taro-shim'

afterEach(resetTaroShim)

test('reloads each time the page is shown again, never on the first show (the mount just loaded it)', async () => {
  let loads = 0
  function Counter() {
    const state = useApi(async () => ++loads, [])
    useReloadOnShow(state.reload)
    return <View data-testid='loads'>{state.data ?? ''}</View>
  }
  render(<Counter />)
  await act(async () => {})
  expect(loads).toBe(1)
  expect(screen.getByTestId('loads').textContent).toBe('1')

  await act(async () => showPageAgain())
  expect(loads).toBe(2)
  expect(screen.getByTestId('loads').textContent).toBe('2')

  await act(async () => showPageAgain())
  expect(loads).toBe(3)
})
