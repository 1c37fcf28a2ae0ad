/**
 * useApi + AsyncContent rendered with Taro's web components: the loading,
 * error (with retry) and empty states a page shows around an API call.
 */
import { act, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, expect, test } from 'vitest'
import { View } from '@tarojs/components'
import { ApiError, NETWORK_ERROR_MESSAGE } from '@/api/errors'
import { useApi } from '@/api/useApi'
import { AsyncContent } from '@/components/AsyncContent'
import { resetTaroShim } from './taro-shim'

afterEach(resetTaroShim)

function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (reason: unknown) => void
  const promise = new Promise<T>((res, rej) => {
    resolve = res
    reject = rej
  })
  return { promise, resolve, reject }
}

function Names({ load }: { load: () => Promise<string[]> }) {
  const state = useApi(load, [])
  return (
    <AsyncContent state={state} isEmpty={(names) => names.length === 0} loadingText='正在加载名单…'>
      {(names) => <View data-testid='names'>{names.join('、')}</View>}
    </AsyncContent>
  )
}

test('shows loading, then the data', async () => {
  const answer = deferred<string[]>()
  render(<Names load={() => answer.promise} />)
  expect(screen.getByText('正在加载名单…')).toBeTruthy()
  await act(async () => answer.resolve(['李守仁', '赵闰生']))
  expect(screen.getByTestId('names').textContent).toBe('李守仁、赵闰生')
})

test('shows the error message, and 重新加载 tries again', async () => {
  let calls = 0
  const load = () => {
    calls++
    return calls === 1 ? Promise.reject(new ApiError('network', NETWORK_ERROR_MESSAGE)) : Promise.resolve(['陈晓梅'])
  }
  render(<Names load={load} />)
  await screen.findByText(NETWORK_ERROR_MESSAGE)
  await act(async () => {
    fireEvent.click(screen.getByText('重新加载'))
  })
  expect((await screen.findByTestId('names')).textContent).toBe('陈晓梅')
  expect(calls).toBe(2)
})

test('an unexpected exception still gets a Chinese message', async () => {
  render(<Names load={() => Promise.reject(new Error('boom'))} />)
  await screen.findByText('操作失败，请稍后重试')
})

test('shows the empty state for an empty list', async () => {
  render(<Names load={() => Promise.resolve([])} />)
  await screen.findByText('暂无数据')
})
