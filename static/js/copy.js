// Copy buttons (CSP-compatible: no inline script). A button with data-copy-target="ID" copies the text of the
// element with that id (a file's SHA-256) and says so for two seconds; where the clipboard is not available,
// it selects the text so that Ctrl+C copies it.
(function () {
  "use strict";

  function selectText(element) {
    const range = document.createRange();
    range.selectNodeContents(element);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  function confirmCopied(button) {
    const label = button.textContent;
    button.textContent = button.dataset.copiedLabel || label;
    window.setTimeout(function () { button.textContent = label; }, 2000);
  }

  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-copy-target]");
    if (!button) {
      return;
    }
    const source = document.getElementById(button.dataset.copyTarget);
    if (!source) {
      return;
    }
    const text = source.textContent.trim();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { confirmCopied(button); }, function () { selectText(source); });
    } else {
      selectText(source);
    }
  });
})();
