// Portlight's service worker. It keeps the app's own files so that a repeat visit starts
// without fetching them: the hashed ones (wasm, js, css, icons), which never change, from the
// cache first; the page itself from the network first, from the cache when the network is
// gone. It never stores nor answers anything under /api/, nor anything from another origin:
// Portainer's answers and the token's requests always go to the network.
const CACHE = 'portlight-app';
const HASHED = /-[0-9a-f]{8,16}(_bg)?\.(js|wasm|css|svg|png|ico)$/;
const scope = new URL(self.registration.scope);
const page = new URL('./', scope).href;

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));

function ours(url) {
  return url.origin === scope.origin
    && url.pathname.startsWith(scope.pathname)
    && !/\/api(\/|$)/.test(url.pathname);
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || !ours(url)) return;
  if (HASHED.test(url.pathname)) {
    event.respondWith(hashed(request));
  } else if (request.mode === 'navigate') {
    event.respondWith(navigation(request));
  } else {
    event.respondWith(networkFirst(request, request));
  }
});

async function hashed(request) {
  const cache = await caches.open(CACHE);
  const kept = await cache.match(request);
  if (kept) return kept;
  const answer = await fetch(request);
  if (answer.ok && answer.type === 'basic') await cache.put(request, answer.clone());
  return answer;
}

// The few files that keep their name (boot.js, favicon.svg, the manifest): fresh when the
// network answers, kept for when it does not.
async function networkFirst(request, key) {
  const cache = await caches.open(CACHE);
  try {
    const answer = await fetch(request);
    if (answer.ok && answer.type === 'basic') await cache.put(key, answer.clone());
    return answer;
  } catch (offline) {
    const kept = await cache.match(key);
    if (kept) return kept;
    throw offline;
  }
}

// Every route of the app is the same page. A new build's page names new hashed files: the
// old ones are dropped then, so the cache holds one build.
async function navigation(request) {
  const cache = await caches.open(CACHE);
  try {
    const answer = await fetch(request);
    if (answer.ok && answer.type === 'basic') {
      const html = await answer.clone().text();
      await cache.put(page, answer.clone());
      const named = new Set(html.match(/[\w.-]+-[0-9a-f]{8,16}(_bg)?\.(js|wasm|css|svg|png|ico)/g) || []);
      for (const key of await cache.keys()) {
        const file = new URL(key.url).pathname.split('/').pop();
        if (HASHED.test(file) && !named.has(file)) {
          await cache.delete(key);
        }
      }
    }
    return answer;
  } catch (offline) {
    const kept = await cache.match(page);
    if (kept) return kept;
    throw offline;
  }
}
