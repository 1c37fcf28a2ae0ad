/** Every route constant must be a page Taro actually builds, in the package the constant says. */
import { existsSync } from 'node:fs'
import path from 'node:path'
import { expect, test } from 'vitest'
import { ROUTES, TAB_ROUTES } from '@/routes'

interface AppConfig {
  pages: string[]
  subPackages?: { root: string; pages: string[] }[]
  tabBar?: { list: { pagePath: string }[] }
}

// app.config.ts calls Taro's build-time macro; here it is the identity.
;(globalThis as { defineAppConfig?: (c: AppConfig) => AppConfig }).defineAppConfig = (c) => c
const { default: config } = (await import('../../miniapp/src/app.config')) as { default: AppConfig }

const registered = new Set([
  ...config.pages.map((p) => `/${p}`),
  ...(config.subPackages ?? []).flatMap((sub) => sub.pages.map((p) => `/${sub.root}/${p}`)),
])

test.each(Object.entries(ROUTES))('%s (%s) is registered and has a page component', (_name, route) => {
  expect(registered.has(route)).toBe(true)
  expect(existsSync(path.join(__dirname, '../../miniapp/src', `${route}.tsx`))).toBe(true)
})

test('tab pages are exactly the four tabs, all in the main package', () => {
  expect(config.tabBar?.list.map((t) => `/${t.pagePath}`)).toEqual(Object.values(TAB_ROUTES))
  for (const route of Object.values(TAB_ROUTES)) expect(config.pages).toContain(route.slice(1))
})

test('the main package holds only tab pages and the login page', () => {
  expect([...config.pages].sort()).toEqual([...Object.values(TAB_ROUTES), ROUTES.login].map((r) => r.slice(1)).sort())
})
