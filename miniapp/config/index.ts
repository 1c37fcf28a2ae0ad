import path from 'node:path'
import { defineConfig, type UserConfigExport } from '@tarojs/cli'
import { splitAndCompress } from './h5-delivery'
import { OfflineShellPlugin } from './offline-shell'

const root = path.resolve(__dirname, '..')
const sharedDir = path.resolve(root, '../shared')
/**
 * A local PostCSS plugin, by path (Taro resolves a plugin key that is not a package name as a file). weapp only:
 * Taro's H5 build does not pass node_modules stylesheets through the project's PostCSS plugins.
 */
const nutuiUnusedStyles = path.resolve(__dirname, 'nutui-unused-styles.cjs')

/**
 * Build-time constants. They are computed here, in Node, and injected with
 * `defineConstants`: reading `process.env.TARO_APP_*` from src would leave the
 * literal `process.env...` in the weapp bundle, where `process` does not exist.
 * Nothing secret belongs here: everything below ends up in the shipped code.
 */
function buildConstants(taroEnv: string | undefined) {
  const isH5 = taroEnv === 'h5'
  // H5 is served from the same origin as the API and every contract path
  // already starts with /api, so the base is empty (no CORS, no preflight).
  // The mini-program needs an absolute HTTPS domain whitelisted in the WeChat console.
  const apiBase = isH5 ? '' : (process.env.TARO_APP_API_BASE ?? 'https://dangjian.example.cn').replace(/\/+$/, '')
  // The demo login screen exists only in H5 (development, demos and browser
  // tests). A public H5 deployment can switch it off; the server refuses the
  // demo endpoints in production anyway.
  const demoLogin = isH5 && process.env.TARO_APP_DEMO_LOGIN !== 'off'
  return {
    API_BASE_URL: JSON.stringify(apiBase),
    DEMO_LOGIN_ENABLED: JSON.stringify(demoLogin),
  }
}

/**
 * shared/ is written for Node's ESM resolution (`import './http.js'` for
 * http.ts), so webpack must try .ts behind a .js specifier. webpack-chain 6
 * has no helper for `resolve.extensionAlias`; `set` passes it through as is.
 */
function resolveTsBehindJs(chain: { resolve: { set: (key: string, value: unknown) => unknown } }) {
  chain.resolve.set('extensionAlias', { '.js': ['.ts', '.tsx', '.js'] })
}

type Chain = Parameters<typeof resolveTsBehindJs>[0] & {
  module: { rule: (name: string) => { test: (t: RegExp | string) => { set: (key: string, value: unknown) => unknown } } }
}

/**
 * shared/ is pure rules and contracts: nothing in it runs for its side effects. Saying so lets webpack skip a
 * barrel's re-export that no page uses (common.ts → fields.ts), so zod stays out of the weapp main package
 * unless a main-package page validates with it (issue 23.2, config/client-contracts.cjs).
 */
function sharedWithoutSideEffects(chain: Chain) {
  chain.module.rule('shared-pure').test(sharedDir).set('sideEffects', false)
}

function clientChain(chain: Chain) {
  resolveTsBehindJs(chain)
  sharedWithoutSideEffects(chain)
}

/**
 * Files a page opens by path rather than imports. The weapp plays the oath's recording (scripts/oath-audio.ts)
 * from the birthdays subpackage, so it counts there and not in the main package; H5 reads the oath with the
 * browser's voice and needs no copy.
 */
function copiedAssets(taroEnv: string | undefined) {
  if (taroEnv !== 'weapp') return []
  return [{ from: 'src/packages/birthdays/assets/', to: 'dist/weapp/packages/birthdays/assets/' }]
}

/** NutUI's stylesheets are drawn for a 375px-wide design; ours for Taro's default 750. */
function designWidth(input?: unknown): number {
  const file = (input as { file?: string } | undefined)?.file ?? ''
  return file.replace(/\\/g, '/').includes('@nutui/') ? 375 : 750
}

/**
 * WeChat templates cannot recurse, so base.wxml repeats the view/text templates once per nesting level and a deeper
 * node restarts inside the `comp` component (slower, still drawn). Our deepest page today nests views 9 deep
 * (会议记录's attendance marks; 8 on 学习 and 管理, measured on every page as staff, secretary and member); 10 levels
 * keep every page out of `comp` and base.wxml at 43 KB instead of Taro's 16 levels' 60 KB. Taro's MiniPlugin reads
 * `mini.baseLevel`; Taro 4.2.1's IMiniAppConfig type does not declare it, hence the untyped spread.
 */
const templateLevels: Record<string, unknown> = { baseLevel: 10 }

export default defineConfig<'webpack5'>(async (merge) => {
  const isWatch = process.argv.includes('--watch')
  const config: UserConfigExport<'webpack5'> = {
    projectName: 'dangjian-miniapp',
    date: '2025-01-01',
    designWidth,
    deviceRatio: { 640: 2.34 / 2, 750: 1, 375: 2, 828: 1.81 / 2 },
    sourceRoot: 'src',
    outputRoot: `dist/${process.env.TARO_ENV ?? 'weapp'}`,
    plugins: [],
    defineConstants: buildConstants(process.env.TARO_ENV),
    alias: {
      '@shared': sharedDir,
      '@': path.resolve(root, 'src'),
    },
    copy: { patterns: copiedAssets(process.env.TARO_ENV), options: {} },
    // Preact (preact/compat stands in for react and react-dom; Taro's React plugin aliases them): its runtime is
    // ~10 KB where React's reconciler was ~90 KB of the weapp main package (issue 23.2). The code is written and
    // typed against React's API.
    framework: 'preact',
    compiler: {
      type: 'webpack5',
      // Prebundling NutUI in a watch build ships it unminified and pushes the
      // main package over WeChat's 2 MB limit; compiling it normally keeps
      // per-component imports tree-shaken.
      prebundle: { enable: isWatch, exclude: ['@nutui/nutui-react-taro', '@nutui/icons-react-taro'] },
    },
    cache: { enable: false },
    // The weapp's Terser escapes every non-ASCII character (\uXXXX: 6 bytes for a 3-byte Chinese character); the
    // mini-program reads UTF-8 sources and our labels and messages are Chinese: ~10 KB of the main package.
    ...(process.env.TARO_ENV === 'weapp' ? { terser: { enable: true, config: { output: { ascii_only: false } } } } : {}),
    mini: {
      compile: { include: [sharedDir] },
      webpackChain: clientChain,
      optimizeMainPackage: { enable: true },
      ...templateLevels,
      // Component styles do not depend on each other's order (each is scoped by its class prefix).
      miniCssExtractPluginOption: { ignoreOrder: true },
      postcss: {
        pxtransform: { enable: true, config: {} },
        cssModules: { enable: false },
        [nutuiUnusedStyles]: { enable: true, config: {} },
      },
    },
    h5: {
      publicPath: '/',
      staticDirectory: 'static',
      compile: { include: [sharedDir] },
      webpackChain: (chain) => {
        clientChain(chain)
        // A watch build is served by Taro's dev server, which does not read .br/.gz files.
        splitAndCompress(chain, { precompress: !isWatch })
        // The service worker keeps the built files; the watch build's dev server has no fixed files to keep.
        if (!isWatch) chain.plugin('offline-shell').use(OfflineShellPlugin, [])
      },
      router: { mode: 'hash' },
      output: {
        filename: 'js/[name].[contenthash:8].js',
        chunkFilename: 'js/[name].[contenthash:8].js',
      },
      miniCssExtractPluginOption: {
        ignoreOrder: true,
        filename: 'css/[name].[contenthash:8].css',
        chunkFilename: 'css/[name].[contenthash:8].css',
      },
      postcss: {
        autoprefixer: { enable: true, config: {} },
        cssModules: { enable: false },
      },
      devServer: {
        // `npm run dev:h5` builds in watch mode; the local API (npm run dev) serves /api.
        proxy: { '/api': { target: process.env.TARO_APP_DEV_API ?? 'http://localhost:3000', changeOrigin: true } },
      },
    },
  }
  return merge({}, config)
})
