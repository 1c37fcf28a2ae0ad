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
 * Until the main package reaches its 400 KB budget (issue 23.2: zod/mini in shared/, still open), it may
 * not grow: 620 KB is today's 605 KB (组织生活, 发展党员 and 投诉建议 entries in) plus a little room. `npm run bench` reports the 400 KB
 * budget as not met; this ceiling is what fails the build.
 */
export const MAIN_PACKAGE_CEILING = 620 * 1024

/** What is over budget, in words; empty when everything fits. */
export function overBudget(result) {
  const over = []
  if (result.main > MAIN_PACKAGE_CEILING) over.push(`main package ${kb(result.main)} > ${kb(MAIN_PACKAGE_CEILING)}`)
  for (const [root, size] of Object.entries(result.subpackages)) {
    if (size > SUBPACKAGE_BUDGET) over.push(`${root} ${kb(size)} > ${kb(SUBPACKAGE_BUDGET)}`)
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
    for (const [root, size] of Object.entries(result.subpackages)) console.log(`  ${root.padEnd(24)} ${kb(size)} (budget ${kb(SUBPACKAGE_BUDGET)})`)
    console.log(`total         ${kb(result.total)}`)
  }
  const over = overBudget(result)
  for (const line of over) console.error(`over budget: ${line}`)
  if (over.length) process.exitCode = 1
}
