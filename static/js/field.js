// The officer's tablet app (issue 6): offline pages through the service worker, and visits that
// are never lost. A visit is written to IndexedDB on the device FIRST, then sent with an
// idempotent `PUT /api/v1/visits/{id}` (the id is made here); it leaves the device's queue only
// when the server has stored it. No framework, no build step, no inline script (the CSP allows only
// our own scripts). Texts come from data- attributes the server renders in the page's language.
(() => {
  "use strict";

  const DB_NAME = "baqylau-field";
  const DB_VERSION = 1;
  const QUEUE = "visits"; // key: id; { id, check_id, user, state: "queued"|"refused", body, queued_at, error }
  const SAVED = "saved"; // key: check_id; { check_id, visit_id, saved_at, far_from_address, flags }
  const RETRY_MS = 15000;
  const GEO_TIMEOUT_MS = 8000;

  // ---------------------------------------------------------------------------------------------
  // IndexedDB, promise-wrapped.

  let dbPromise = null;

  function openDb() {
    if (!dbPromise) {
      dbPromise = new Promise((resolve, reject) => {
        const request = indexedDB.open(DB_NAME, DB_VERSION);
        request.onupgradeneeded = () => {
          const db = request.result;
          if (!db.objectStoreNames.contains(QUEUE)) {
            db.createObjectStore(QUEUE, { keyPath: "id" });
          }
          if (!db.objectStoreNames.contains(SAVED)) {
            db.createObjectStore(SAVED, { keyPath: "check_id" });
          }
        };
        request.onsuccess = () => {
          const db = request.result;
          // Another tab upgrading the database: let it, reopen on next use.
          db.onversionchange = () => {
            db.close();
            dbPromise = null;
          };
          resolve(db);
        };
        request.onerror = () => reject(request.error);
        request.onblocked = () => reject(new Error("IndexedDB blocked"));
      });
      dbPromise.catch(() => {
        dbPromise = null;
      });
    }
    return dbPromise;
  }

  // Runs `work(stores)` in one transaction; resolves with work's result once the transaction has
  // COMMITTED (for writes, durably: "strict" flushes to disk before completing).
  async function tx(names, mode, work) {
    const db = await openDb();
    return new Promise((resolve, reject) => {
      const options = mode === "readwrite" ? { durability: "strict" } : undefined;
      const t = db.transaction(names, mode, options);
      const stores = {};
      for (const name of [].concat(names)) stores[name] = t.objectStore(name);
      let result;
      Promise.resolve(work(stores)).then((value) => {
        result = value;
      }, reject);
      t.oncomplete = () => resolve(result);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error || new Error("transaction aborted"));
    });
  }

  function req(request) {
    return new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  const allQueued = () => tx(QUEUE, "readonly", (s) => req(s[QUEUE].getAll()));
  const allSaved = () => tx(SAVED, "readonly", (s) => req(s[SAVED].getAll()));

  // ---------------------------------------------------------------------------------------------
  // Page data.

  const meta = (name) => {
    const el = document.querySelector(`meta[name="${name}"]`);
    return el ? el.getAttribute("content") || "" : "";
  };
  let csrfToken = meta("csrf-token");
  // Optional: the signed-in user's id, so a visit queued by one officer is never sent under the
  // session of another one who signs in on the same tablet.
  const currentUser = meta("user-id") || null;

  const fill = (template, values) =>
    String(template || "").replace(/\{(\w+)\}/g, (m, key) => (key in values ? values[key] : m));

  function newId() {
    if (window.crypto && typeof crypto.randomUUID === "function") return crypto.randomUUID();
    // crypto.randomUUID needs a secure context; getRandomValues does not.
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }

  // ---------------------------------------------------------------------------------------------
  // The waiting count (#sync-status, on every tablet page).

  // `data-template="{count} waiting"`; optional plural forms `data-template-one`, `-few`,
  // `-many`, `-other` (CLDR categories of the page's language) and `data-template-refused`.
  function countText(el, count, prefix) {
    const d = el.dataset;
    let category = "other";
    try {
      category = new Intl.PluralRules(document.documentElement.lang || undefined).select(count);
    } catch (e) {
      category = "other";
    }
    const key = prefix + category.charAt(0).toUpperCase() + category.slice(1);
    const template =
      d[key] || d[prefix] || (prefix === "template" ? d.textWaitingCount : "") || "{count}";
    return fill(template, { count: String(count) });
  }

  async function showCounts() {
    const el = document.getElementById("sync-status");
    let items = [];
    try {
      items = await allQueued();
    } catch (e) {
      return;
    }
    const waiting = items.filter((v) => v.state === "queued").length;
    const refused = items.filter((v) => v.state === "refused").length;
    document.documentElement.dataset.visitsWaiting = String(waiting);
    if (!el) return;
    const parts = [];
    if (waiting > 0) parts.push(countText(el, waiting, "template"));
    if (!navigator.onLine && el.dataset.offline) parts.push(el.dataset.offline);
    if (refused > 0 && el.dataset.templateRefused) parts.push(countText(el, refused, "templateRefused"));
    const text = parts.join(" · ");
    if (el.textContent !== text) el.textContent = text;
    el.dataset.count = String(waiting);
    el.dataset.refused = String(refused);
    el.classList.toggle("has-waiting", waiting > 0);
    el.classList.toggle("has-refused", refused > 0);
  }

  // ---------------------------------------------------------------------------------------------
  // The stop page: #visit-form and #visit-state.

  const form = document.getElementById("visit-form");
  const stateEl = document.getElementById("visit-state");

  const offlineShownAbove = () => {
    const el = document.getElementById("sync-status");
    return !!(el && el.dataset.offline);
  };

  // Shows a visit state on the stop page: none, locating, waiting, offline, saved, refused.
  // `data-state` keeps the contract's four values (locating and offline are "waiting").
  function showState(state, detail) {
    if (!stateEl) return;
    const d = stateEl.dataset;
    const texts = {
      locating: d.textLocating || d.textWaiting,
      waiting: d.textWaiting,
      // The layout's #sync-status says "no network" already when it has that text.
      offline: offlineShownAbove() ? d.textWaiting : d.textOffline || d.textWaiting,
      saved: d.textSaved,
      refused: d.textRefused,
    };
    let text = texts[state] || "";
    if (state === "refused" && detail && detail.message) {
      const sep = /[:：]\s*$/.test(text) ? " " : ": ";
      text = text ? `${text.trimEnd()}${sep}${detail.message}` : detail.message;
    }
    if (state === "saved" && detail && detail.far_from_address && d.textFar) {
      text = `${text} ${d.textFar}`;
    }
    stateEl.dataset.state = state === "locating" || state === "offline" ? "waiting" : state;
    stateEl.dataset.detail = state;
    stateEl.textContent = text;
  }

  // The position line: its accuracy, or "saved without position". The stop page renders
  // `#position-state`; `data-text-accuracy` is a label ("Position accuracy, m:") or a template
  // with `{accuracy}`.
  function showPosition(position) {
    if (!stateEl) return;
    let el = document.getElementById("position-state") || document.getElementById("visit-position");
    if (!el) {
      el = document.createElement("p");
      el.id = "visit-position";
      el.className = "hint";
      stateEl.insertAdjacentElement("afterend", el);
    }
    const d = stateEl.dataset;
    if (position) {
      const accuracy = String(Math.round(position.accuracy_m));
      const label = d.textAccuracy || d.textPosition || "±{accuracy} m";
      el.textContent = label.includes("{accuracy}") ? fill(label, { accuracy }) : `${label} ${accuracy}`;
      el.dataset.accuracy = accuracy;
    } else {
      el.textContent = d.textNoPosition || "—";
      el.dataset.accuracy = "";
    }
  }

  function locate() {
    return new Promise((resolve) => {
      if (!("geolocation" in navigator)) {
        resolve(null);
        return;
      }
      let done = false;
      const finish = (value) => {
        if (!done) {
          done = true;
          resolve(value);
        }
      };
      // Belt and braces: some devices never call back at all.
      const timer = setTimeout(() => finish(null), GEO_TIMEOUT_MS + 1000);
      navigator.geolocation.getCurrentPosition(
        (pos) => {
          clearTimeout(timer);
          finish({
            lat: pos.coords.latitude,
            lon: pos.coords.longitude,
            accuracy_m: pos.coords.accuracy,
          });
        },
        () => {
          clearTimeout(timer);
          finish(null);
        },
        { enableHighAccuracy: true, timeout: GEO_TIMEOUT_MS, maximumAge: 30000 },
      );
    });
  }

  function setBusy(busy) {
    if (!form) return;
    form.querySelectorAll("button, select, textarea").forEach((el) => {
      el.disabled = busy;
    });
    form.setAttribute("aria-busy", busy ? "true" : "false");
  }

  async function recordVisit(event) {
    const submitter = event.submitter;
    if (!submitter || submitter.name !== "outcome") return; // not an outcome button: let it go
    const select = form.elements.namedItem("violation_kind");
    const outcome = submitter.value;
    if (outcome === "violation" && select && !select.value) {
      event.preventDefault();
      select.required = true;
      select.reportValidity();
      select.focus();
      return;
    }
    event.preventDefault();
    const notesEl = form.elements.namedItem("notes");
    const recordedAt = new Date().toISOString();
    setBusy(true);
    showState("locating");
    let position = null;
    try {
      position = await locate();
      showPosition(position);
      const d = form.dataset;
      const body = {
        check_id: d.checkId,
        person_id: d.personId,
        kind: d.kind,
        outcome,
        violation_kind: outcome === "violation" && select ? select.value || null : null,
        notes: notesEl ? notesEl.value : "",
        recorded_at: recordedAt,
        lat: position ? position.lat : null,
        lon: position ? position.lon : null,
        accuracy_m: position ? position.accuracy_m : null,
      };
      const visit = {
        id: newId(),
        check_id: d.checkId,
        user: currentUser,
        state: "queued",
        body,
        queued_at: Date.now(),
        error: null,
      };
      // On the device first: from here on a reload, a crash or a lost network loses nothing.
      await tx(QUEUE, "readwrite", (s) => req(s[QUEUE].put(visit)));
      if (notesEl) notesEl.value = "";
      if (select) {
        select.value = "";
        select.required = false;
      }
      showState(navigator.onLine ? "waiting" : "offline");
      await showCounts();
    } catch (error) {
      // The device could not store it: fall back to the plain form post (no position then).
      setBusy(false);
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = "outcome";
      input.value = outcome;
      form.appendChild(input);
      form.submit();
      return;
    } finally {
      setBusy(false);
    }
    sync();
  }

  async function showStopState() {
    if (!form || !stateEl) return;
    const checkId = form.dataset.checkId;
    const [queued, saved] = await Promise.all([allQueued(), allSaved()]);
    const mine = queued
      .filter((v) => v.check_id === checkId)
      .sort((a, b) => b.queued_at - a.queued_at);
    const refused = mine.find((v) => v.state === "refused");
    if (refused) {
      showState("refused", refused.error);
    } else if (mine.length > 0) {
      showState(navigator.onLine ? "waiting" : "offline");
    } else if (saved.some((s) => s.check_id === checkId)) {
      const s = saved.find((x) => x.check_id === checkId);
      showState("saved", s);
    } else if (stateEl.dataset.state === "saved") {
      // The server rendered it as saved already (e.g. sent from another device or without JS).
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Today's route: mark the stops this device has saved, queued or had refused.

  async function markToday() {
    const list = document.getElementById("today-stops");
    if (!list) return;
    const [queued, saved] = await Promise.all([allQueued(), allSaved()]);
    const byCheck = new Map();
    for (const s of saved) byCheck.set(s.check_id, "saved");
    for (const v of queued) byCheck.set(v.check_id, v.state === "refused" ? "refused" : "waiting");
    list.querySelectorAll("li[data-check-id]").forEach((li) => {
      const state = byCheck.get(li.dataset.checkId);
      li.classList.toggle("visit-saved", state === "saved");
      li.classList.toggle("visit-waiting", state === "waiting");
      li.classList.toggle("visit-refused", state === "refused");
      if (state) li.dataset.visit = state;
      else delete li.dataset.visit;
    });
  }

  // Asks the service worker to keep today's stop pages, so they open offline too.
  function precacheStops() {
    const list = document.getElementById("today-stops");
    if (!list || !("serviceWorker" in navigator) || !navigator.onLine) return;
    const urls = Array.from(list.querySelectorAll("a.stop-open[href]"), (a) => a.getAttribute("href"));
    if (urls.length === 0) return;
    navigator.serviceWorker.ready
      .then((reg) => {
        if (reg.active) reg.active.postMessage({ type: "precache", urls });
      })
      .catch(() => {});
  }

  // ---------------------------------------------------------------------------------------------
  // Sending the queue.

  let syncing = null;
  let again = false;

  function sync() {
    if (syncing) {
      again = true;
      return syncing;
    }
    syncing = (async () => {
      do {
        again = false;
        await sendQueue();
      } while (again);
    })()
      .catch(() => {})
      .finally(() => {
        syncing = null;
        refresh();
      });
    return syncing;
  }

  async function readJson(response) {
    try {
      return await response.json();
    } catch (e) {
      return null;
    }
  }

  // Reads the session's current CSRF token from a fresh page (after a new sign-in the one in this
  // page is stale).
  async function refreshCsrfToken() {
    try {
      const r = await fetch("/field/today", { credentials: "same-origin", cache: "no-store" });
      if (!r.ok || r.redirected) return false;
      const html = await r.text();
      const doc = new DOMParser().parseFromString(html, "text/html");
      const el = doc.querySelector('meta[name="csrf-token"]');
      const token = el ? el.getAttribute("content") : "";
      if (token && token !== csrfToken) {
        csrfToken = token;
        return true;
      }
    } catch (e) {
      return false;
    }
    return false;
  }

  async function sendQueue() {
    let items = await allQueued();
    items = items
      .filter((v) => v.state === "queued" && (!currentUser || !v.user || v.user === currentUser))
      .sort((a, b) => a.queued_at - b.queued_at);
    let tokenRefreshed = false;
    for (const visit of items) {
      let response;
      try {
        response = await fetch(`/api/v1/visits/${encodeURIComponent(visit.id)}`, {
          method: "PUT",
          credentials: "same-origin",
          cache: "no-store",
          headers: {
            "Content-Type": "application/json",
            Accept: "application/json",
            "X-CSRF-Token": csrfToken,
          },
          body: JSON.stringify(visit.body),
        });
      } catch (e) {
        // No network (or the server is down): it stays queued.
        if (form && form.dataset.checkId === visit.check_id) showState("offline");
        return;
      }
      const answer = await readJson(response);
      if (response.ok && answer && answer.stored) {
        const saved = {
          check_id: visit.check_id,
          visit_id: visit.id,
          saved_at: Date.now(),
          far_from_address: !!answer.far_from_address,
          flags: Array.isArray(answer.flags) ? answer.flags : [],
        };
        await tx([QUEUE, SAVED], "readwrite", (s) => {
          s[QUEUE].delete(visit.id);
          s[SAVED].put(saved);
        });
        if (form && form.dataset.checkId === visit.check_id) showState("saved", saved);
        continue;
      }
      const status = response.status;
      const isCsrf = status === 403 && (!answer || answer.error === "error-csrf");
      if (isCsrf) {
        if (!tokenRefreshed && (await refreshCsrfToken())) {
          tokenRefreshed = true;
          again = true;
        }
        return; // not a verdict on the visit: keep it queued
      }
      if ((status === 409 || status === 403 || status === 422 || status === 400) && answer) {
        // The server's verdict on this visit: keep it, apart, with the message. Never dropped.
        const refused = Object.assign({}, visit, {
          state: "refused",
          error: {
            status,
            error: answer.error || null,
            field: answer.field || null,
            message: answer.message || answer.error || String(status),
            at: Date.now(),
          },
        });
        await tx(QUEUE, "readwrite", (s) => req(s[QUEUE].put(refused)));
        if (form && form.dataset.checkId === visit.check_id) showState("refused", refused.error);
        continue;
      }
      // 401 (signed out), 5xx, anything else: keep it queued and try again later.
      return;
    }
  }

  function refresh() {
    showCounts().catch(() => {});
    markToday().catch(() => {});
  }

  // ---------------------------------------------------------------------------------------------
  // Start.

  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/field/sw.js", { scope: "/field/" }).catch(() => {});
  }

  // Sign-out leaves nothing of this officer on the tablet: the server answers with
  // Clear-Site-Data (caches and storage, this queue included), and the caches are dropped here too
  // for browsers without it. So a visit still waiting to be sent blocks sign-out with a message
  // (it would be lost); one the server refused is deleted only after the officer confirms.
  async function signOutAllowed(el) {
    if (!window.indexedDB) return true;
    let items;
    try {
      await sync();
      items = await allQueued();
    } catch (e) {
      items = null;
    }
    const status = document.getElementById("sync-status");
    const say = (text) => {
      if (!status || !text) return;
      status.textContent = text;
      status.classList.add("has-waiting");
      status.setAttribute("tabindex", "-1");
      status.focus();
    };
    if (items === null) {
      say(el.dataset.textUnreadable);
      return false;
    }
    const waiting = items.filter((v) => v.state === "queued").length;
    if (waiting > 0) {
      say(fill(el.dataset.textBlocked || "", { count: String(waiting) }));
      return false;
    }
    const refused = items.filter((v) => v.state === "refused").length;
    if (refused > 0 && !window.confirm(fill(el.dataset.textRefused || "", { count: String(refused) }))) {
      return false;
    }
    return true;
  }

  document.querySelectorAll('form[action="/logout"]').forEach((f) => {
    f.addEventListener("submit", (event) => {
      event.preventDefault();
      signOutAllowed(f).then((allowed) => {
        if (!allowed) return;
        const drop = window.caches
          ? caches
              .keys()
              .then((keys) => Promise.all(keys.filter((k) => k.startsWith("baqylau-field-")).map((k) => caches.delete(k))))
              .catch(() => {})
          : Promise.resolve();
        drop.then(() => f.submit());
      });
    });
  });

  if (!window.indexedDB) return; // no device storage: the plain form posts still work

  if (form) form.addEventListener("submit", recordVisit);
  window.addEventListener("online", () => {
    showStopState().catch(() => {});
    sync();
  });
  window.addEventListener("offline", () => {
    showStopState().catch(() => {});
    showCounts().catch(() => {});
  });
  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") sync();
  });
  setInterval(sync, RETRY_MS);

  showStopState().catch(() => {});
  refresh();
  precacheStops();
  sync();
})();
