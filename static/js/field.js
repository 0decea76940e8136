// The officer's tablet app (issues 6 and 16): offline pages through the service worker, and
// visits that are never lost. A visit is written to IndexedDB on the device FIRST, before the GPS
// is even asked ("locating"); the position is attached when it arrives, or the visit is marked
// "no fix" when it does not (also by a later page, should this one be closed meanwhile), and only
// then is it "saved on the tablet" and sent with an idempotent `PUT /api/v1/visits/{id}` (the id
// is made here). It leaves the device's queue only when the server has stored it. One outcome per
// check: a second tap within the server's correction window is sent under the same id (a
// correction); after it the check is closed. No framework, no build step, no inline script (the CSP allows only
// our own scripts). Texts come from data- attributes the server renders in the page's language.
// Long file: one script the service worker caches as a whole for the shift; its parts (queue,
// position, sending, the stop and Today pages) are sections below, each a few small functions.
(() => {
  "use strict";

  const DB_NAME = "baqylau-field";
  const DB_VERSION = 1;
  // key: id; { id, check_id, user, state: "locating"|"queued"|"refused", body, queued_at,
  // locate_until, position: "fix"|"no_fix", error }
  const QUEUE = "visits";
  // key: check_id; { check_id, visit_id, saved_at, outcome, violation_kind, flags, corrected,
  // correctable_until (device ms) }
  const SAVED = "saved";
  const RETRY_MS = 15000;
  const GEO_TIMEOUT_MS = 8000;
  // A visit still "locating" this long after it was queued lost its page (closed, reloaded,
  // battery): it is sent without a position ("no fix"). Longer than locate()'s own limit.
  const LOCATE_LIMIT_MS = GEO_TIMEOUT_MS + 3000;

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
    const waiting = items.filter((v) => v.state !== "refused").length;
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
  // `data-state`: none, locating, waiting (offline too), saved, refused.
  function showState(state, detail) {
    if (!stateEl) return;
    const d = stateEl.dataset;
    const texts = {
      locating: d.textLocating,
      waiting: d.textWaiting,
      // The layout's #sync-status says "no network" already when it has that text.
      offline: offlineShownAbove() ? d.textWaiting : d.textOffline || d.textWaiting,
      saved: detail && detail.corrected ? d.textCorrected || d.textSaved : d.textSaved,
      refused: d.textRefused,
    };
    let text = texts[state] || "";
    if (state === "refused" && detail && detail.message) {
      const sep = /[:：]\s*$/.test(text) ? " " : ": ";
      text = text ? `${text.trimEnd()}${sep}${detail.message}` : detail.message;
    }
    stateEl.dataset.state = state === "offline" ? "waiting" : state;
    stateEl.dataset.detail = state;
    stateEl.textContent = text;
    if (state === "saved" && detail) showSaved(detail);
  }

  // The outcome buttons' words, by outcome (and violation kind).
  function outcomeWord(outcome, violationKind) {
    if (!form) return outcome;
    const sel = outcome === "violation" && violationKind
      ? `button[name=violation_kind][value="${violationKind}"]`
      : `button[name=outcome][value="${outcome}"]`;
    const button = form.querySelector(sel);
    return button ? button.textContent.replace(/^✓\s*/, "").trim() : outcome;
  }

  function pressOutcome(outcome, violationKind) {
    if (!form) return;
    form.querySelectorAll("button[name=outcome], button[name=violation_kind]").forEach((b) => {
      const pressed = b.name === "outcome"
        ? b.value === outcome
        : outcome === "violation" && b.value === violationKind;
      b.setAttribute("aria-pressed", pressed ? "true" : "false");
    });
  }

  let closeTimer = null;

  // After a save: the saved outcome, until when a tap corrects it, what was flagged, the next
  // stop. When the window ends, the check is closed: the buttons go.
  function showSaved(saved) {
    const line = document.getElementById("saved-outcome");
    const left = (saved.correctable_until || 0) - Date.now();
    if (line) {
      const word = outcomeWord(saved.outcome, saved.violation_kind);
      const until = new Date(saved.correctable_until || 0);
      const time = `${String(until.getHours()).padStart(2, "0")}:${String(until.getMinutes()).padStart(2, "0")}`;
      line.textContent = "";
      line.append(`${line.dataset.label || ""} `);
      const strong = document.createElement("strong");
      strong.textContent = word;
      line.append(strong, ". ");
      line.append(left > 0 ? fill(line.dataset.textUntil, { time }) : line.dataset.textClosed || "");
      line.dataset.outcome = saved.outcome || "";
      line.dataset.visitId = saved.visit_id || "";
    }
    pressOutcome(saved.outcome, saved.violation_kind);
    showFlags(saved.flags || []);
    const next = document.getElementById("next-stop-line");
    if (next) next.hidden = false;
    if (closeTimer) clearTimeout(closeTimer);
    if (left > 0) closeTimer = setTimeout(() => showSaved(saved), Math.min(left + 500, 2147483000));
    else closeCheck();
  }

  function showFlags(flags) {
    const list = document.getElementById("visit-flags");
    if (!list) return;
    list.textContent = "";
    for (const flag of flags) {
      const li = document.createElement("li");
      li.dataset.flag = flag;
      li.textContent = list.getAttribute(`data-text-${flag}`) || flag;
      list.appendChild(li);
    }
  }

  function closeCheck() {
    if (!form) return;
    form.querySelectorAll("button, textarea").forEach((el) => {
      el.disabled = true;
    });
    form.dataset.closed = "true";
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

  // The id a tap records under: the visit of this check still on the device, or the one saved
  // and still correctable (a correction replaces it), else a new one.
  async function visitIdFor(checkId) {
    const [queued, saved] = await Promise.all([allQueued(), allSaved()]);
    const pending = queued.find((v) => v.check_id === checkId && v.state !== "refused");
    if (pending) return pending.id;
    const mine = saved.find((v) => v.check_id === checkId);
    if (mine && mine.visit_id && (mine.correctable_until || 0) > Date.now()) return mine.visit_id;
    const line = document.getElementById("saved-outcome");
    if (line && line.dataset.visitId) return line.dataset.visitId;
    return newId();
  }

  // Attaches the position (or "no fix") to a visit still locating; none once a later page has
  // sent it without one.
  function attachPosition(id, position) {
    return tx(QUEUE, "readwrite", async (s) => {
      const v = await req(s[QUEUE].get(id));
      if (!v || v.state !== "locating") return false;
      v.body.lat = position ? position.lat : null;
      v.body.lon = position ? position.lon : null;
      v.body.accuracy_m = position ? position.accuracy_m : null;
      v.position = position ? "fix" : "no_fix";
      v.state = "queued";
      await req(s[QUEUE].put(v));
      return true;
    });
  }

  async function recordVisit(event) {
    const submitter = event.submitter;
    if (!submitter || (submitter.name !== "outcome" && submitter.name !== "violation_kind")) return;
    event.preventDefault();
    if (form.dataset.closed === "true") return;
    const isViolation = submitter.name === "violation_kind";
    const outcome = isViolation ? "violation" : submitter.value;
    const notesEl = form.elements.namedItem("notes");
    const d = form.dataset;
    const queuedAt = Date.now();
    setBusy(true);
    let visit;
    try {
      visit = {
        id: await visitIdFor(d.checkId),
        check_id: d.checkId,
        user: currentUser,
        state: "locating",
        body: {
          check_id: d.checkId,
          person_id: d.personId,
          kind: d.kind,
          outcome,
          violation_kind: isViolation ? submitter.value : null,
          notes: notesEl ? notesEl.value : "",
          recorded_at: new Date(queuedAt).toISOString(),
          lat: null,
          lon: null,
          accuracy_m: null,
        },
        queued_at: queuedAt,
        locate_until: queuedAt + LOCATE_LIMIT_MS,
        error: null,
      };
      // On the device first, before the GPS is asked: from here on a reload, a closed app or a
      // lost network loses nothing.
      await tx(QUEUE, "readwrite", (s) => req(s[QUEUE].put(visit)));
    } catch (error) {
      // The device could not store it: fall back to the plain form post (no position then).
      setBusy(false);
      const input = document.createElement("input");
      input.type = "hidden";
      input.name = submitter.name;
      input.value = submitter.value;
      form.appendChild(input);
      form.submit();
      return;
    }
    showState("locating");
    await showCounts();
    try {
      const position = await locate();
      showPosition(position);
      await attachPosition(visit.id, position);
      if (notesEl) notesEl.value = "";
      pressOutcome(outcome, visit.body.violation_kind);
      showState(navigator.onLine ? "waiting" : "offline");
      await showCounts();
    } finally {
      setBusy(false);
    }
    sync();
  }

  async function showStopState() {
    if (!stateEl) return;
    const checkId = form ? form.dataset.checkId : stateEl.dataset.checkId;
    const [queued, saved] = await Promise.all([allQueued(), allSaved()]);
    const mine = queued
      .filter((v) => v.check_id === checkId)
      .sort((a, b) => b.queued_at - a.queued_at);
    const refused = mine.find((v) => v.state === "refused");
    const savedHere = saved.find((x) => x.check_id === checkId);
    if (refused) {
      showState("refused", refused.error);
    } else if (mine.some((v) => v.state === "locating")) {
      showState("locating");
    } else if (mine.length > 0) {
      showState(navigator.onLine ? "waiting" : "offline");
    } else if (savedHere) {
      showState("saved", savedHere);
    } else {
      // Saved before this page (another device, or without the script): the server said so.
      const line = document.getElementById("saved-outcome");
      if (line && line.dataset.visitId) {
        const left = Number(line.dataset.correctableForS || "0") * 1000;
        if (left > 0 && closeTimer === null) closeTimer = setTimeout(closeCheck, left + 500);
        else if (left <= 0) closeCheck();
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Today's route: mark the stops this device has saved, queued or had refused, in words too.

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
      const words = li.querySelector(".stop-device");
      if (words) words.textContent = state ? list.getAttribute(`data-text-${state}`) || "" : "";
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

  let sweepTimer = null;

  // Visits whose page was closed while the GPS was searching: past their limit they go without
  // a position ("no fix"); a sync is due when the next one reaches its limit.
  async function sweepLocating() {
    const items = await allQueued();
    const now = Date.now();
    let nextDue = Infinity;
    for (const v of items.filter((x) => x.state === "locating")) {
      const until = v.locate_until || 0;
      if (until <= now) await attachPosition(v.id, null);
      else nextDue = Math.min(nextDue, until);
    }
    if (nextDue !== Infinity && sweepTimer === null) {
      sweepTimer = setTimeout(() => {
        sweepTimer = null;
        sync();
      }, nextDue - now + 100);
    }
  }

  async function sendQueue() {
    await sweepLocating();
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
          outcome: answer.outcome || visit.body.outcome,
          violation_kind: visit.body.violation_kind,
          corrected: !!answer.corrected,
          far_from_address: !!answer.far_from_address,
          flags: Array.isArray(answer.flags) ? answer.flags : [],
          correctable_until: Date.now() + 1000 * Number(answer.correctable_for_s || 0),
        };
        await tx([QUEUE, SAVED], "readwrite", (s) => {
          s[QUEUE].delete(visit.id);
          if (visit.check_id) s[SAVED].put(saved);
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

  // Registered at every page load; a registration that fails (the worker's script did not
  // arrive) is tried again a few times, since without it the route does not open offline.
  function registerWorker(attempt) {
    navigator.serviceWorker.register("/field/sw.js", { scope: "/field/" }).catch(() => {
      if (attempt < 5) setTimeout(() => registerWorker(attempt + 1), 2000 * (attempt + 1));
    });
  }
  if ("serviceWorker" in navigator) {
    registerWorker(0);
    // Chromium can leave a page that loaded while the worker was activating uncontrolled, so
    // offline it would not be served: the active worker is asked to claim it.
    navigator.serviceWorker.ready
      .then((reg) => {
        if (!navigator.serviceWorker.controller && reg.active) reg.active.postMessage({ type: "claim" });
      })
      .catch(() => {});
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
    const waiting = items.filter((v) => v.state !== "refused").length;
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
