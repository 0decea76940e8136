// Desk pages: small enhancements that work without inline script (the CSP forbids it).
// A button with data-print prints the page with the print stylesheet.
document.querySelectorAll("[data-print]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
