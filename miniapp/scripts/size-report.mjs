#!/usr/bin/env node
// Sizes of the built mini-program (dist/weapp): the main package — every file
// outside the subpackage roots listed in app.json, which WeChat caps at 2 MB —
// each subpackage, and the total. Run after `npm run build:weapp`:
//   node miniapp/scripts/size-report.mjs [--json]   (exits 1 over a budget below)
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const MAIN_PACKAGE_LIMIT = 2 * 1024 * 1024
/**
 * Our own budgets, well under WeChat's caps (issue 23): the main package is
 * what every member downloads before the first screen on a village network;
 * a subpackage is fetched when its page is first opened. A new subpackage
 * gets the same budget without being listed here.
 */
export const MAIN_PACKAGE_BUDGET = 400 * 1024
export const SUBPACKAGE_BUDGET = 150 * 1024
/**
 * Subpackages with their own budget. Client builds ship shared/'s contracts without zod schemas
 * (config/client-contracts.cjs), which took zod (~110 KB) out of the main package; these three still validate a
 * member record on the phone before sending it (registration, 转入登记, 发展党员's applicant), so zod rides in each
 * of them (Taro copies a module shared by subpackages only into each one). A member who never opens them never
 * downloads it. zod/mini for the member-record schemas would bring them back under 150 KB.
 */
export const SUBPACKAGE_BUDGETS = {
  'packages/members': 170 * 1024,
  'packages/transfers': 190 * 1024,
  'packages/development': 170 * 1024,
}
export function subpackageBudget(root) {
  return SUBPACKAGE_BUDGETS[root] ?? SUBPACKAGE_BUDGET
}
/**
 * The main package fits its 400 KB budget (issue 23.2): 365.5 KB on Preact (preact/compat in place of React, whose
 * reconciler was ~95 KB of app.js), after contracts without zod schemas, UTF-8 sources, 10 template levels and NutUI
 * Button without unused variants (from 619 KB). The ceiling is the budget: growing past it fails the build
 * (tests/miniapp/weapp-size.test.ts). What is left is mostly Taro's runtime (taro.js, 122 KB), its templates
 * (base.wxml, 43 KB) and Preact (in vendors.js).
 */
export const MAIN_PACKAGE_CEILING = MAIN_PACKAGE_BUDGET

/** What is over budget, in words; empty when everything fits. */
export function overBudget(result) {
  const over = []
  if (result.main > MAIN_PACKAGE_CEILING) over.push(`main package ${kb(result.main)} > ${kb(MAIN_PACKAGE_CEILING)}`)
  for (const [root, size] of Object.entries(result.subpackages)) {
    if (size > subpackageBudget(root)) over.push(`${root} ${kb(size)} > ${kb(subpackageBudget(root))}`)
  }
  return over
}
const defaultDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../dist/weapp')

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    return entry.isDirectory() ? filesUnder(full) : [full]
  })
}

/** @returns {{ main: number, total: number, subpackages: Record<string, number> }} bytes */
export function measure(distDir = defaultDir) {
  const appJson = path.join(distDir, 'app.json')
  if (!existsSync(appJson)) throw new Error(`${appJson} not found: run npm run build:weapp first`)
  const roots = (JSON.parse(readFileSync(appJson, 'utf8')).subPackages ?? []).map((p) => p.root.replace(/\/+$/, ''))
  const subpackages = Object.fromEntries(roots.map((root) => [root, 0]))
  let main = 0
  let total = 0
  for (const file of filesUnder(distDir)) {
    const rel = path.relative(distDir, file).split(path.sep).join('/')
    // DevTools reads project.config.json but does not upload it.
    if (rel === 'project.config.json' || rel.endsWith('.map') || rel.endsWith('.LICENSE.txt')) continue
    const size = statSync(file).size
    total += size
    const root = roots.find((r) => rel === r || rel.startsWith(`${r}/`))
    if (root) subpackages[root] += size
    else main += size
  }
  return { main, total, subpackages }
}

function kb(bytes) {
  return `${(bytes / 1024).toFixed(1)} KB`
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const result = measure()
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(result))
  } else {
    console.log(`main package  ${kb(result.main)} (budget ${kb(MAIN_PACKAGE_BUDGET)}, ceiling ${kb(MAIN_PACKAGE_CEILING)}, WeChat's limit ${kb(MAIN_PACKAGE_LIMIT)})`)
    for (const [root, size] of Object.entries(result.subpackages)) console.log(`  ${root.padEnd(24)} ${kb(size)} (budget ${kb(subpackageBudget(root))})`)
    console.log(`total         ${kb(result.total)}`)
  }
  const over = overBudget(result)
  for (const line of over) console.error(`over budget: ${line}`)
  if (over.length) process.exitCode = 1
}
