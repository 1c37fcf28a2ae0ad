/**
 * useSave + SaveRow, the one save of the forms: the Idempotency-Key kept across a refused try and renewed once a
 * save went through, the toast (its text from the answer, none when the answer says so, a shorter one for a form
 * that leaves), the refused message in the row's banner or handed to the form's own check, the button held while
 * the request runs.
 */
import { act, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, expect, test, vi } from 'vitest'
import Taro from '@tarojs/taro'
import { ApiError } from '@/api/errors'
import { SaveRow, useSave, type SaveDone, type SaveOptions } from '@/components/form/SaveRow'
import { resetTaroShim } from './taro-shim'

afterEach(() => {
  vi.restoreAllMocks()
  resetTaroShim()
})

function Form<T>({ request, done, options, onDone, error }: { request: (key: string) => Promise<T>; done: SaveDone<T>; options?: SaveOptions; onDone?: (answer: T) => void; error?: string | null }) {
  const saver = useSave(options)
  return <SaveRow state={saver} onSave={() => saver.run(request, done, onDone)} label='保存' testId='save' errorTestId='save-error' error={error} />
}

const tap = () => act(async () => void fireEvent.click(screen.getByTestId('save')))

test('keeps the key after a refusal, renews it once saved, and toasts the text', async () => {
  const toast = vi.spyOn(Taro, 'showToast')
  const keys: string[] = []
  let refuse = true
  const request = async (key: string) => {
    keys.push(key)
    if (refuse) throw new ApiError('http', '已有一条记录', 409)
    return 1
  }
  render(<Form request={request} done='已保存' />)
  await tap()
  expect(screen.getByTestId('save-error').textContent).toBe('已有一条记录')
  expect(toast).not.toHaveBeenCalled()
  refuse = false
  await tap()
  expect(screen.queryByTestId('save-error')).toBeNull()
  await tap()
  expect(keys[0]).toBe(keys[1])
  expect(keys[2]).not.toBe(keys[1])
  expect(toast).toHaveBeenCalledWith({ title: '已保存', icon: 'success' })
})

test('the toast can come from the answer, be left out, or be short', async () => {
  const toast = vi.spyOn(Taro, 'showToast')
  const answers: number[] = []
  const { unmount } = render(<Form request={async () => 3} done={(n) => (n > 0 ? `已为${n}人签到` : null)} onDone={(n) => answers.push(n)} options={{ toastMs: 1200 }} />)
  await tap()
  expect(toast).toHaveBeenCalledWith({ title: '已为3人签到', icon: 'success', duration: 1200 })
  unmount()
  render(<Form request={async () => 0} done={(n) => (n > 0 ? `已为${n}人签到` : null)} onDone={(n) => answers.push(n)} />)
  await tap()
  expect(toast).toHaveBeenCalledTimes(1)
  expect(answers).toEqual([3, 0])
})

test('a refusal goes to the form when it keeps its own message, shown through `error`', async () => {
  const fail = vi.fn()
  const { rerender } = render(<Form request={() => Promise.reject(new ApiError('http', '版本已变', 409))} done='已保存' options={{ fail }} error={null} />)
  await tap()
  expect(fail).toHaveBeenCalledWith('版本已变')
  expect(screen.queryByTestId('save-error')).toBeNull()
  rerender(<Form request={() => Promise.reject(new ApiError('http', '版本已变', 409))} done='已保存' options={{ fail }} error='还有 1 项需要修改：请填写日期' />)
  expect(screen.getByTestId('save-error').textContent).toBe('还有 1 项需要修改：请填写日期')
})

test('the button is held while the request runs', async () => {
  let answer!: () => void
  render(<Form request={() => new Promise<void>((resolve) => (answer = resolve))} done='已保存' />)
  await tap()
  const held = () => ['nut-button-disabled', 'nut-button-loading'].map((c) => screen.getByTestId('save').classList.contains(c))
  expect(held()).toEqual([true, true])
  await act(async () => answer())
  expect(held()).toEqual([false, false])
})
