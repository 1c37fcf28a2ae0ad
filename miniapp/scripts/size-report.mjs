#!/usr/bin/env node
// Sizes of the built mini-program (dist/weapp): the main package — every file
// outside the subpackage roots listed in app.json, which WeChat caps at 2 MB —
// each subpackage, and the total. Run after `npm run build:weapp`:
//   node miniapp/scripts/size-report.mjs [--json]
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const MAIN_PACKAGE_LIMIT = 2 * 1024 * 1024
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

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const result = measure()
  if (process.argv.includes('--json')) {
    console.log(JSON.stringify(result))
  } else {
    console.log(`main package  ${kb(result.main)} (limit ${kb(MAIN_PACKAGE_LIMIT)})`)
    for (const [root, size] of Object.entries(result.subpackages)) console.log(`  ${root.padEnd(24)} ${kb(size)}`)
    console.log(`total         ${kb(result.total)}`)
  }
  if (result.main > MAIN_PACKAGE_LIMIT) process.exitCode = 1
}
