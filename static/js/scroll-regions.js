// A table wider than the screen scrolls inside its .table-responsive box; such a box gets tabindex="0" so that
// keyboard users can focus it and scroll with the arrow keys (WCAG 2.1.1; axe: scrollable-region-focusable).
// Boxes that do not scroll stay out of the tab order. Checked on load, after htmx swaps and on resize.
(function () {
  "use strict";

  function update() {
    document.querySelectorAll(".table-responsive").forEach(function (box) {
      if (box.scrollWidth > box.clientWidth) {
        box.setAttribute("tabindex", "0");
      } else if (box.getAttribute("tabindex") === "0") {
        box.removeAttribute("tabindex");
      }
    });
  }

  let pending = 0;
  function later() {
    window.clearTimeout(pending);
    pending = window.setTimeout(update, 150);
  }

  document.addEventListener("DOMContentLoaded", update);
  document.addEventListener("htmx:afterSettle", update);
  window.addEventListener("resize", later);
})();
