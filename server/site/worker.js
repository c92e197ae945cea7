// supportal service worker (server/site/worker.js)
//
// go-app's Handler fills in the version and the resources to precache
// (Handler.ServiceWorkerTemplate). What it does:
//   - install: precaches the app shell and the static files in a cache named
//     after the version; a resource that fails to load fails the install
//     (the old worker stays in charge);
//   - activate: deletes this app's caches of other versions and, when
//     there were some (an update, not the first visit), takes control of
//     the open pages: go-app's page script then reports the new version
//     (OnAppUpdate: "A new version is available — Reload");
//   - fetch: GET requests of this origin only. /api/ and websockets go to
//     the network untouched: no answer of the API is ever put in Cache
//     Storage. Page loads go to the network first (with navigation
//     preload: the request starts while the worker starts up) and fall back
//     to the cached shell ("/embed" under /embed, "/" elsewhere) when the
//     server cannot be reached; their answers are not cached. Static files come
//     from the cache first, from the network when not precached.

const cachePrefix = "supportal-";
const cacheName = cachePrefix + "{{.Version}}";
const resourcesToCache = {{.ResourcesToCache}};

// Caches of go-app's default worker, which served this origin before: "app-"
// and a hex version.
const legacyCache = /^app-[0-9a-f]+$/;

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(cacheName);
      // cache: "reload": the files of this version, not the HTTP cache's.
      await cache.addAll(
        resourcesToCache.map((url) => new Request(url, { cache: "reload" })),
      );
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const stale = (await caches.keys()).filter(
        (key) => key !== cacheName && (key.startsWith(cachePrefix) || legacyCache.test(key)),
      );
      await Promise.all(stale.map((key) => caches.delete(key)));
      // Navigation preload: the browser asks the server for a page while
      // this worker starts up, not after; navigate() takes that answer.
      if (self.registration.navigationPreload) {
        await self.registration.navigationPreload.enable();
      }
      // Taking over the open pages makes go-app's page script report a new
      // version (OnAppUpdate): only when this worker replaces an earlier
      // version, not at the first visit. (Unclaimed, the first page still
      // loads from the network; its next load is this worker's.)
      if (stale.length > 0) {
        await self.clients.claim();
      }
    })(),
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) {
    return;
  }
  if (url.pathname === "/api" || url.pathname.startsWith("/api/")) {
    return; // the user's data: network only, never cached
  }
  if ((request.headers.get("Upgrade") || "").toLowerCase() === "websocket") {
    return;
  }
  if (request.mode === "navigate") {
    event.respondWith(navigate(event, url));
    return;
  }
  event.respondWith(cacheFirst(request));
});

// navigate answers a page load from the network (the navigation preload's
// answer, when the browser made one); when the server cannot be reached
// (fetch rejects with a TypeError), with the cached shell, in which
// app.wasm renders the page the address asks for. The network's answer (a
// 404 included) is passed on as it is and not cached.
async function navigate(event, url) {
  try {
    let preloaded;
    try {
      preloaded = await event.preloadResponse;
    } catch (err) {
      preloaded = undefined; // asked again below: offline, that fails too
    }
    return preloaded || (await fetch(event.request));
  } catch (err) {
    if (!(err instanceof TypeError)) {
      throw err;
    }
    const shell = isEmbed(url.pathname) ? "/embed" : "/";
    const cache = await caches.open(cacheName);
    const cached = await cache.match(shell, { ignoreVary: true });
    if (cached) {
      return cached;
    }
    throw err;
  }
}

function isEmbed(path) {
  return path === "/embed" || path.startsWith("/embed/");
}

// cacheFirst answers a static file from this version's cache (its query
// ignored: the files are named by path), else from the network, without
// caching what the network answers.
async function cacheFirst(request) {
  const cache = await caches.open(cacheName);
  const cached = await cache.match(request, { ignoreSearch: true, ignoreVary: true });
  if (cached) {
    return cached;
  }
  return fetch(request);
}

// -----------------------------------------------------------------------------
// Notifications: go-app's page script (goappNewNotification) posts them
// here. supportal sends no push messages, so there is no "push" handler.
// -----------------------------------------------------------------------------
self.addEventListener("message", (event) => {
  const msg = event.data;
  if (!msg || msg.type !== "goapp:notify") {
    return;
  }
  event.waitUntil(showNotification(self.registration, msg.options || {}));
});

async function showNotification(registration, notification) {
  const title = notification.title || "supportal";
  const actions = [];
  for (const action of notification.actions || []) {
    actions.push({ action: action.action, path: action.path });
    delete action.path;
  }
  await registration.showNotification(title, {
    body: notification.body,
    icon: notification.icon,
    badge: notification.badge,
    actions: notification.actions,
    data: { goapp: { path: notification.path || "/", actions: actions } },
  });
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const goapp = (event.notification.data && event.notification.data.goapp) || {};
  let path = goapp.path || "/";
  for (const action of goapp.actions || []) {
    if (action.action === event.action) {
      path = action.path;
      break;
    }
  }
  event.waitUntil(
    (async () => {
      const list = await self.clients.matchAll({ type: "window" });
      for (const client of list) {
        if ("focus" in client) {
          await client.focus();
          client.postMessage({ goapp: { type: "notification", path: path } });
          return;
        }
      }
      if (self.clients.openWindow) {
        await self.clients.openWindow(path);
      }
    })(),
  );
});
