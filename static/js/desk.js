// Desk pages: small enhancements that work without inline script (the CSP forbids it).
// A button with data-print prints the page with the print stylesheet.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
// A form that came back with problems: its summary (links to each field) takes the focus, so a
// screen reader reads it and the keyboard starts there.
const summary = document.querySelector("[data-focus-first]");
if (summary) summary.focus();
// A plan being made: follow its progress without reloading the page (the page refreshes itself
// only where scripts do not run), announce a new phase politely, and go to the plan when it is
// stored, or show why not.
const planJob = document.getElementById("plan-job");
if (planJob) {
  const phase = document.getElementById("plan-phase");
  const bar = document.getElementById("plan-progress");
  const follow = () => {
    fetch(planJob.dataset.statusUrl, { headers: { Accept: "application/json" } })
      .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
      .then((job) => {
        if (job.done) {
          window.location.assign(job.done);
          return;
        }
        if (job.error) {
          window.location.reload();
          return;
        }
        bar.value = job.percent;
        bar.textContent = `${job.percent} %`;
        if (job.phase && phase.textContent !== job.phase) phase.textContent = job.phase;
        setTimeout(follow, 500);
      })
      .catch(() => setTimeout(follow, 2000));
  };
  setTimeout(follow, 500);
}
// A page of a plan (a route, the left-out checks): a move, a pin or a removal changes only this
// page's part, fetched after the change, so the page keeps its place instead of reloading the
// plan; the outcome is announced politely. Without script the same forms post and come back to
// the same place (an anchor). Forms marked data-full (re-optimise, publish) post as usual.
const planPart = document.getElementById("plan-part");
if (planPart) {
  const live = document.getElementById("plan-live");
  const swap = (response) =>
    response.text().then((html) => {
      const doc = new DOMParser().parseFromString(html, "text/html");
      const fresh = doc.getElementById("plan-part");
      if (!fresh) {
        window.location.assign(response.url);
        return;
      }
      planPart.innerHTML = fresh.innerHTML;
      document.querySelectorAll("main > .flash").forEach((f) => f.remove());
      const flash = doc.querySelector("main > .flash");
      live.className = flash ? `plan-live ${flash.className}` : "plan-live";
      live.textContent = flash ? flash.textContent : "";
      window.history.replaceState(null, "", response.url);
      const focus = planPart.querySelector("[data-focus]");
      if (focus) focus.focus({ preventScroll: false });
    });
  const go = (url, options) =>
    fetch(url, { credentials: "same-origin", ...options })
      .then(swap)
      .catch(() => window.location.assign(url));
  planPart.addEventListener("submit", (event) => {
    const form = event.target;
    if (form.hasAttribute("data-full")) return;
    event.preventDefault();
    const back = form.querySelector("input[name=back]");
    const place = back ? back.value.split("#")[1] : "";
    form.querySelectorAll("button").forEach((b) => (b.disabled = true));
    go(form.action, { method: "POST", body: new URLSearchParams(new FormData(form)) }).then(() => {
      // The row after the one changed takes the focus, where the keyboard left off.
      const next = place && document.getElementById(place);
      if (next && !planPart.querySelector("[data-focus]")) next.focus({ preventScroll: true });
    });
  });
  planPart.addEventListener("click", (event) => {
    const link = event.target.closest("a[data-part-link]");
    if (!link) return;
    event.preventDefault();
    go(link.href.split("#")[0], {});
  });
}
// Today, live: fetch the groups part every 20 s and swap it in (the page refreshes itself only
// where scripts do not run); a failed fetch keeps the figures shown and tries again later.
const live = document.getElementById("live");
if (live) {
  const refresh = () => {
    fetch(live.dataset.partUrl, { credentials: "same-origin" })
      .then((r) => (r.ok ? r.text() : Promise.reject(r.status)))
      .then((html) => {
        live.innerHTML = html;
      })
      .catch(() => {})
      .finally(() => setTimeout(refresh, 20000));
  };
  setTimeout(refresh, 20000);
}
// The person form's home point: an address search over the road network that fills the
// latitude and longitude, and a click on the street map that sets or moves the point. The fields
// stay editable (the keyboard way); without scripts the search stays hidden and the form works.
const addressSearch = document.getElementById("address-search");
const addressMap = document.getElementById("address-map");
const homeLat = document.getElementById("f-home_lat");
const homeLon = document.getElementById("f-home_lon");
if (homeLat && homeLon && (addressSearch || addressMap)) {
  const svgNs = "http://www.w3.org/2000/svg";
  const frame = addressMap ? addressMap.dataset.frame.split(",").map(Number) : null;
  const moveMark = (lat, lon) => {
    if (!frame) return;
    const [south, west, north, east] = frame;
    const x = ((lon - west) / (east - west)) * 480;
    const y = ((north - lat) / (north - south)) * 320;
    let mark = addressMap.querySelector(".mark.home");
    if (!mark) {
      mark = document.createElementNS(svgNs, "g");
      mark.setAttribute("class", "mark home");
      mark.append(document.createElementNS(svgNs, "circle"), document.createElementNS(svgNs, "text"));
      mark.querySelector("circle").setAttribute("r", "11");
      mark.querySelector("text").setAttribute("text-anchor", "middle");
      mark.querySelector("text").textContent = "H";
      addressMap.append(mark);
    }
    mark.querySelector("circle").setAttribute("cx", x.toFixed(1));
    mark.querySelector("circle").setAttribute("cy", y.toFixed(1));
    mark.querySelector("text").setAttribute("x", x.toFixed(1));
    mark.querySelector("text").setAttribute("y", (y + 4.5).toFixed(1));
  };
  const setPoint = (lat, lon) => {
    homeLat.value = lat.toFixed(6);
    homeLon.value = lon.toFixed(6);
    moveMark(lat, lon);
  };
  if (addressMap) {
    addressMap.classList.add("clickable");
    addressMap.addEventListener("click", (event) => {
      // The picture's own units (its viewBox), whatever its box's size and letterboxing.
      const at = new DOMPoint(event.clientX, event.clientY)
        .matrixTransform(addressMap.getScreenCTM().inverse());
      const [south, west, north, east] = frame;
      const fx = at.x / 480;
      const fy = at.y / 320;
      setPoint(north - fy * (north - south), west + fx * (east - west));
    });
  }
  if (addressSearch) {
    addressSearch.hidden = false;
    const query = document.getElementById("address-query");
    const results = document.getElementById("address-results");
    const status = document.getElementById("address-status");
    const find = () => {
      const url = `${addressSearch.dataset.url}?q=${encodeURIComponent(query.value)}`;
      fetch(url, { headers: { Accept: "application/json" } })
        .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
        .then((answer) => {
          results.replaceChildren();
          status.textContent = answer.results.length ? "" : status.dataset.none;
          answer.results.forEach((found) => {
            const button = document.createElement("button");
            button.type = "button";
            button.textContent = found.label;
            button.addEventListener("click", () => {
              setPoint(found.lat, found.lon);
              status.textContent = found.label;
            });
            const item = document.createElement("li");
            item.append(button);
            results.append(item);
          });
        })
        .catch(() => { status.textContent = status.dataset.none; });
    };
    document.getElementById("address-find").addEventListener("click", find);
    // Enter in the search box searches instead of submitting the person form.
    query.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault();
        find();
      }
    });
  }
}
