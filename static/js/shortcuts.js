// Keyboard shortcuts (CSP-compatible: no inline script). "/" focuses the page's search field (or opens the
// case list's), "n" opens a new case, "j"/"k" move the focus to the next/previous row of a list, "?" shows
// the shortcuts dialog. Ignored while typing in a field and when a modifier key is held, so that neither
// typing nor the browser's own shortcuts are taken. The links they use are in the dialog (base.html), so
// every shortcut is also an ordinary link.
(function () {
  "use strict";

  const SEARCH_HASH = "#search";

  function isTyping(target) {
    if (!(target instanceof Element)) {
      return false;
    }
    return target.isContentEditable || target.closest("input, textarea, select, [contenteditable]") !== null;
  }

  function dialog() {
    return document.getElementById("shortcuts-dialog");
  }

  function focusSearch() {
    const field = document.querySelector("main input[type=search]");
    if (field) {
      field.focus();
      field.select();
      return;
    }
    const link = document.querySelector("[data-shortcut=search]");
    if (link) {
      window.location.assign(link.href + SEARCH_HASH);
    }
  }

  function openNewCase() {
    const link = document.querySelector("[data-shortcut=new]");
    if (link) {
      window.location.assign(link.href);
    }
  }

  // The rows of the page's lists: the first link of each (a case's reference, a statement's month...).
  function moveInList(step) {
    const links = Array.from(document.querySelectorAll("main .row-link")).filter(function (link) {
      return link.offsetParent !== null;
    });
    if (links.length === 0) {
      return;
    }
    const current = links.indexOf(document.activeElement);
    let next = current === -1 ? (step > 0 ? 0 : links.length - 1) : current + step;
    next = Math.max(0, Math.min(links.length - 1, next));
    links[next].focus();
    links[next].scrollIntoView({ block: "nearest" });
  }

  function showShortcuts() {
    const element = dialog();
    if (element && !element.open) {
      element.showModal();
    }
  }

  const ACTIONS = { "/": focusSearch, n: openNewCase, j: function () { moveInList(1); }, k: function () { moveInList(-1); }, "?": showShortcuts };

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented || isTyping(event.target)) {
      return;
    }
    const element = dialog();
    if (element && element.open) {
      return; // the dialog has the focus; Escape closes it
    }
    const action = ACTIONS[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  });

  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-shortcuts-open]")) {
      showShortcuts();
    } else if (event.target.closest("[data-shortcuts-close]")) {
      dialog().close();
    }
  });

  // Arriving from "/" on a page without a search field: the case list's field takes the focus.
  document.addEventListener("DOMContentLoaded", function () {
    if (window.location.hash === SEARCH_HASH) {
      const field = document.querySelector("main input[type=search]");
      if (field) {
        field.focus();
      }
    }
  });
})();
