/**
 * The client build's contracts (issue 23.2, miniapp/config/client-contracts.cjs): shared/ compiled for the app keeps
 * each endpoint's method, path, access and idempotency, drops its request and response schemas and its OpenAPI
 * summary, and marks every top-level value droppable, so the schemas nobody calls (and zod) leave the bundle.
 * Files outside shared/ are left alone.
 */
import { createRequire } from 'node:module'
import path from 'node:path'
import { transformFileSync, transformSync } from '@babel/core'
import { expect, test } from 'vitest'

const require = createRequire(import.meta.url)
const root = path.resolve(import.meta.dirname, '../..')
const plugin = require(path.join(root, 'miniapp/config/client-contracts.cjs'))

function compile(file: string): string {
  const result = transformFileSync(path.join(root, file), {
    babelrc: false,
    configFile: false,
    plugins: [plugin],
    presets: [[require.resolve('@babel/preset-typescript', { paths: [path.join(root, 'miniapp')] })]],
  })
  return result?.code ?? ''
}

test('endpoints keep what a call needs, without schemas or summary', () => {
  const code = compile('shared/study/member.ts')
  const checkIn = code.slice(code.indexOf('export const checkIn'), code.indexOf('export const myStudy'))
  expect(checkIn).toContain("method: 'POST'")
  expect(checkIn).toContain("path: '/api/study/checkins'")
  expect(checkIn).toContain("access: 'member'")
  expect(checkIn).toContain("idempotencyKey: 'required'")
  expect(checkIn).toContain('idempotent: true')
  expect(checkIn).toContain('response: {}')
  expect(checkIn).not.toMatch(/\bbody:|summary:|z\./)
})

test('a file download keeps response: null', () => {
  const code = compile('shared/members-excel.ts')
  const exportMembers = code.slice(code.indexOf('export const exportMembers'))
  expect(exportMembers.slice(0, exportMembers.indexOf('});'))).toContain('response: null')
})

test('top-level values are wrapped in a call webpack and Terser may drop when unused', () => {
  const code = compile('shared/study/member.ts')
  expect(code).toMatch(/export const studyEntry = \/\*#__PURE__\*\/\(\(\) => z\.object\(/)
})

test('files outside shared/ are not touched', () => {
  const source = "import { endpoint } from './http'\nexport const x = endpoint({ method: 'GET', path: '/a', body: 1, response: 2 })\n"
  const code = transformSync(source, { filename: path.join(root, 'miniapp/src/x.ts'), babelrc: false, configFile: false, plugins: [plugin] })?.code
  expect(code).toContain('body: 1')
  expect(code).not.toContain('__PURE__')
})
