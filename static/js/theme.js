// Bootstrap's colour mode follows the system setting: data-bs-theme on <html>, set before the page is drawn
// (this script is loaded without defer) and again when the setting changes. A file, not an inline script,
// so the Content-Security-Policy stays "script-src 'self'".
(function () {
  "use strict";
  const dark = window.matchMedia("(prefers-color-scheme: dark)");
  function apply() {
    document.documentElement.setAttribute("data-bs-theme", dark.matches ? "dark" : "light");
  }
  apply();
  dark.addEventListener("change", apply);
})();
