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
