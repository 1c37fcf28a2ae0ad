/**
 * H5: registers the service worker that keeps the whole build on the phone
 * (miniapp/config/offline-shell.ts), so pages split into chunks still open
 * without signal. After the page has loaded, so its downloads never compete
 * with the first screen on a slow link. weapp downloads its packages itself.
 */
export function keepAppOnDevice(): void {
  if (process.env.TARO_ENV !== 'h5') return
  if (typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return
  const register = () => {
    // The worker script is always asked for anew, so a new build is picked up at the next start.
    navigator.serviceWorker.register('/sw.js', { updateViaCache: 'none' }).catch(() => {
      // No worker (a watch build, a browser that refuses): the app works online as before.
    })
  }
  if (document.readyState === 'complete') register()
  else window.addEventListener('load', register, { once: true })
}
