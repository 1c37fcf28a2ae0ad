/**
 * H5 only: the whole build kept on the phone by a service worker, so a tab or
 * page opened without signal still loads its chunk (issue 19.7). The first
 * screen stays as small as issue 23 wants: the app registers the worker after
 * the page has loaded (src/offline/shell.ts), and the worker then downloads the
 * chunks the first screen did not need.
 *
 * This plugin writes `sw.js` at the root of the build: the worker's code
 * (offline-sw.js) after the list of this build's scripts and stylesheets and a
 * version named by that list, so a new build replaces the old cache.
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import path from 'node:path'

export const SERVICE_WORKER_FILE = 'sw.js'
const NAME = 'offline-shell'
/** What the worker keeps: the build's scripts and stylesheets (not source maps, licence notes or precompressed twins). */
const KEPT = /\.(js|css)$/

/** The part of the webpack 5 compiler this plugin uses. */
interface Compiler {
  webpack: {
    Compilation: { PROCESS_ASSETS_STAGE_OPTIMIZE_HASH: number }
    sources: { RawSource: new (source: string) => unknown }
  }
  hooks: { thisCompilation: { tap(name: string, fn: (compilation: Compilation) => void): void } }
}
interface Compilation {
  hooks: { processAssets: { tap(options: { name: string; stage: number }, fn: (assets: Record<string, unknown>) => void): void } }
  emitAsset(file: string, source: unknown): void
}

export function serviceWorkerSource(assetNames: string[], publicPath = '/'): string {
  const files = assetNames.filter((name) => KEPT.test(name) && name !== SERVICE_WORKER_FILE).sort()
  const precache = [publicPath, ...files.map((name) => `${publicPath}${name}`)]
  const version = createHash('sha256').update(precache.join('\n')).digest('hex').slice(0, 12)
  const worker = readFileSync(path.join(__dirname, 'offline-sw.js'), 'utf8')
  return `const VERSION = ${JSON.stringify(version)}\nconst PRECACHE = ${JSON.stringify(precache)}\n${worker}`
}

export class OfflineShellPlugin {
  apply(compiler: Compiler): void {
    const { Compilation, sources } = compiler.webpack
    compiler.hooks.thisCompilation.tap(NAME, (compilation) => {
      // After the real content hashes are settled (names final), before the .br/.gz twins are made.
      compilation.hooks.processAssets.tap({ name: NAME, stage: Compilation.PROCESS_ASSETS_STAGE_OPTIMIZE_HASH + 1 }, (assets) => {
        compilation.emitAsset(SERVICE_WORKER_FILE, new sources.RawSource(serviceWorkerSource(Object.keys(assets))))
      })
    })
  }
}
