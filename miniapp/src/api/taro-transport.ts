import Taro from '@tarojs/taro'
import type { Transport } from './client'

/**
 * Taro.request as a Transport. In H5 it is fetch: 4xx/5xx resolve like any
 * answer, and only a failure to get an answer rejects — the same contract as
 * wx.request, which the client relies on.
 */
export const taroTransport: Transport = (request) => {
  const task = Taro.request<unknown>({
    url: request.url,
    method: request.method,
    header: request.header,
    data: request.data,
    dataType: 'json',
    // The client enforces the limit itself; this is only a backstop so the
    // platform never keeps a request open much longer.
    timeout: request.timeoutMs + 1000,
  })
  return {
    response: task.then((res) => ({ statusCode: res.statusCode, data: res.data })),
    abort: () => task.abort?.(),
  }
}
