// Desk pages: small enhancements that work without inline script (the CSP forbids it).
// A button with data-print prints the page with the print stylesheet.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
// A form that came back with problems: its summary (links to each field) takes the focus, so a
// screen reader reads it and the keyboard starts there.
const summary = document.querySelector("[data-focus-first]");
if (summary) summary.focus();
