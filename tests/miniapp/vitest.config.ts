/**
 * Vitest project for the mini-program's code (src/ logic and components).
 * Components run in jsdom against Taro's web implementations:
 * `@tarojs/components` → `@tarojs/components-react`, `@tarojs/taro` → a shim
 * over `@tarojs/taro-h5` (see taro-shim.ts). Build-time constants that
 * config/index.ts injects are defined here too.
 *
 *   npx vitest run --config tests/miniapp/vitest.config.ts
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { defineProject } from 'vitest/config'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

export default defineProject({
  root,
  resolve: {
    alias: [
      { find: /^@tarojs\/taro$/, replacement: path.join(root, 'tests/miniapp/taro-shim.ts') },
      { find: /^@tarojs\/components$/, replacement: '@tarojs/components-react' },
      { find: /^@shared\//, replacement: `${path.join(root, 'shared')}/` },
      { find: /^@\//, replacement: `${path.join(root, 'miniapp/src')}/` },
    ],
  },
  define: {
    'process.env.TARO_ENV': JSON.stringify('h5'),
    'process.env.TARO_PLATFORM': JSON.stringify('web'),
    API_BASE_URL: JSON.stringify(''),
    DEMO_LOGIN_ENABLED: 'true',
    // Read by @tarojs/components' React wrappers (re-exported by components-react).
    DEPRECATED_ADAPTER_COMPONENT: 'false',
  },
  esbuild: { jsx: 'automatic' },
  // taro-h5 ships source maps that point at missing files: one warning per module.
  logLevel: 'error',
  test: {
    name: 'miniapp',
    root,
    include: ['tests/miniapp/**/*.test.{ts,tsx}'],
    environment: 'jsdom',
    setupFiles: ['tests/miniapp/setup.ts'],
    // Taro's packages ship untranspiled ESM with CSS imports: let Vite process them.
    server: { deps: { inline: [/@tarojs\/components/, /@nutui\//] } },
    css: false,
    testTimeout: 20_000,
  },
})
