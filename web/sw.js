// The page's service worker: after one visit the page works offline (reload included), and a new build replaces
// what is cached as a whole. web/stamp_sw.mjs writes the build's hash and file list in place of the two markers
// below when the site is assembled.
const BUILD = '__BUILD__';
const PRECACHE = __FILES__;  // the page, its scripts, the wasm without threads or with (as this browser runs it), weights
const CACHE = `gan-site-${BUILD}`;
const KEEP = new Set([CACHE, 'gan-digits-v1']);  // the training digits live in their own cache (web/train_worker.js)

// What to fetch ahead: the page's files and the viewer's and Find it's wasm as this browser runs it (a service worker is
// cross-origin isolated exactly when its pages are). The training modules are kept when training first fetches them.
function wanted(file) {
  if (!/^gan_(web|train|explore)/.test(file)) return true;
  if (file.startsWith('gan_train')) return false;
  return self.crossOriginIsolated ? !file.includes('_st.') : file.includes('_st.');
}

self.addEventListener('install', (event) => {
  // All or nothing: a cache with some files of this build and none of others. The next build's worker waits until
  // the page lets it take over (app.js), so a page never mixes two builds' files.
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(PRECACHE.filter(wanted).map((f) => new Request(f, { cache: 'reload' })))));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys().then((keys) => Promise.all(keys.filter((k) => k.startsWith('gan-') && !KEEP.has(k))
    .map((k) => caches.delete(k)))).then(() => self.clients.claim()));
});

self.addEventListener('message', (event) => { if (event.data === 'take-over') self.skipWaiting(); });

// Cache first for this build's files; anything else of the site (the training module, the conditional model) is
// fetched once and kept. The URL's fragment and query never matter (a shared link is the same page).
self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== location.origin || url.pathname.includes('/data/')) return;
  event.respondWith((async () => {
    const cache = await caches.open(CACHE);
    const hit = await cache.match(request, { ignoreSearch: true });
    if (hit) return hit;
    const response = await fetch(request);
    if (response.ok && response.type === 'basic') cache.put(request, response.clone()).catch(() => {});
    return response;
  })());
});
