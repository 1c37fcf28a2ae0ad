/*
 * The H5 app's service worker (issue 19.7, issue 22). The build prepends
 * `const VERSION` and `const PRECACHE` (every script and stylesheet of this
 * build, and '/'): see offline-shell.ts. Since the pages are split into chunks
 * loaded on demand (issue 23), a tab or page opened without signal could not
 * load its chunk; with the whole build kept on the phone it opens and shows
 * the phone's kept data, or says it could not load, with a retry.
 *
 * The API is never touched here: reads and writes go to the network as before,
 * and the offline layer in src/offline decides what to show when they fail.
 */
/* global self, caches, fetch, URL, VERSION, PRECACHE */
const CACHE = `dangjian-h5-${VERSION}`

self.addEventListener('install', (event) => {
  // Files already on the first screen come from the browser's cache (hashed names are immutable): only the rest is downloaded.
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE)).then(() => self.skipWaiting()))
})

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => name.startsWith('dangjian-h5-') && name !== CACHE).map((name) => caches.delete(name))))
      // The page that installed the worker loads its later chunks through it, not only the next visit.
      .then(() => self.clients.claim()),
  )
})

self.addEventListener('fetch', (event) => {
  const request = event.request
  if (request.method !== 'GET') return
  const url = new URL(request.url)
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return
  if (request.mode === 'navigate') {
    // index.html names the current build: always asked for first, the kept copy only without signal.
    event.respondWith(fetch(request).catch(() => caches.match('/', { cacheName: CACHE }).then((kept) => kept || Response.error())))
    return
  }
  // Hashed files never change under their name: the kept copy is the file.
  event.respondWith(caches.match(request, { cacheName: CACHE }).then((kept) => kept || fetch(request)))
})
