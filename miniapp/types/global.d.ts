/// <reference types="@tarojs/taro" />

declare module '*.png'
declare module '*.svg'
declare module '*.css'
declare module '*.scss'

/** Injected by config/index.ts (defineConstants): '' in H5 (same origin), an HTTPS origin in weapp. */
declare const API_BASE_URL: string
/** Injected by config/index.ts: whether the H5 demo login screen is compiled in. */
declare const DEMO_LOGIN_ENABLED: boolean

declare namespace NodeJS {
  interface ProcessEnv {
    NODE_ENV: 'development' | 'production' | 'test'
    /** The platform being built; Taro replaces it at build time. */
    TARO_ENV: 'weapp' | 'h5'
  }
}
