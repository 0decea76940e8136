// The field app's service worker, served as /field/sw.js (scope /field/). Network first: every GET
// of a /field/ page or a /static/ asset that the server answers is kept in the cache, and served
// from it when the network is gone, so today's route and its stop pages stay readable offline after
// one online visit. Never touches /api/ or anything but GET: visits go through field.js's queue.
"use strict";

const VERSION = "v1";
const CACHE = `baqylau-field-${VERSION}`;
const SHELL = [
  "/field/today",
  "/static/css/app.css",
  "/static/js/field.js",
  "/static/js/desk.js",
  "/static/icons/baqylau.svg",
];

function cacheable(url) {
  if (url.origin !== self.location.origin) return false;
  if (url.pathname.startsWith("/api/")) return false;
  if (url.pathname === "/field/sw.js") return false;
  return url.pathname.startsWith("/field/") || url.pathname.startsWith("/static/");
}

// Stores a good, final answer only: not an error, not a redirect (to the sign-in page, say).
async function keep(cache, request, response) {
  if (response && response.ok && response.type === "basic" && !response.redirected) {
    await cache.put(request, response.clone());
  }
}

// How long one fetch of the install may take: an answer that never comes (a weak signal, a busy
// server) must not hold the install, and so the offline app, back for the rest of the shift.
const INSTALL_FETCH_MS = 20000;

async function fetchAndKeep(cache, url) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), INSTALL_FETCH_MS);
  try {
    const response = await fetch(url, {
      credentials: "same-origin",
      cache: "no-cache",
      signal: abort.signal,
    });
    await keep(cache, url, response);
  } catch (e) {
    // Offline, refused or too slow: the next online visit fills it in.
  } finally {
    clearTimeout(timer);
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => Promise.all(SHELL.map((url) => fetchAndKeep(cache, url))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys
            .filter((key) => key.startsWith("baqylau-field-") && key !== CACHE)
            .map((key) => caches.delete(key)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

// A network that neither answers nor fails (a weak signal) must not leave the officer looking at
// a blank page: after this long a cached copy is shown, while the answer is still awaited and kept.
const SLOW_MS = 5000;

async function fallback(cache, request) {
  const hit = await cache.match(request);
  if (hit) return hit;
  if (request.mode === "navigate") {
    // A page never opened online: today's route is the best there is.
    const today = await cache.match("/field/today");
    if (today) return today;
  }
  return null;
}

async function networkFirst(event) {
  const request = event.request;
  const cache = await caches.open(CACHE);
  const network = fetch(request);
  // Registered first, so it clones the answer before the page starts reading it.
  event.waitUntil(network.then((response) => keep(cache, request, response)).catch(() => {}));
  let timer = null;
  const slow = new Promise((resolve) => {
    timer = setTimeout(() => resolve(null), SLOW_MS);
  });
  try {
    const response = await Promise.race([network, slow]);
    if (response) return response;
    return (await fallback(cache, request)) || (await network);
  } catch (error) {
    return (await fallback(cache, request)) || Response.error();
  } finally {
    clearTimeout(timer);
  }
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (!cacheable(url)) return;
  event.respondWith(networkFirst(event));
});

// field.js on today's route sends its stop pages, so they open offline before their first use.
// Stop pages no longer on the route (yesterday's) are dropped: no personal data kept for nothing.
async function precache(paths) {
  const cache = await caches.open(CACHE);
  const wanted = new Set(paths);
  for (const request of await cache.keys()) {
    const path = new URL(request.url).pathname;
    if (path.startsWith("/field/stops/") && !wanted.has(path)) await cache.delete(request);
  }
  const missing = [];
  for (const path of wanted) {
    if (!(await cache.match(path))) missing.push(path);
  }
  await Promise.all(missing.map((path) => fetchAndKeep(cache, path)));
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "precache" && Array.isArray(data.urls)) {
    const paths = data.urls
      .map((u) => new URL(u, self.location.origin))
      .filter((u) => cacheable(u) && u.pathname.startsWith("/field/stops/"))
      .map((u) => u.pathname);
    event.waitUntil(precache(paths).catch(() => {}));
  } else if (data.type === "clear") {
    event.waitUntil(caches.delete(CACHE));
  } else if (data.type === "claim") {
    // A page that opened while this worker was activating is not claimed by `activate`.
    event.waitUntil(self.clients.claim());
  }
});
