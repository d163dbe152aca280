// Tables with the class "table-stack" become one card per row below the md breakpoint (portal.css): each cell
// is labelled with its column's header, copied here into data-label once, so templates stay free of
// per-row labels. Runs on load and after htmx swaps a list in.
(function () {
  "use strict";

  function label(root) {
    root.querySelectorAll("table.table-stack").forEach(function (table) {
      var headers = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.trim();
      });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.children, function (cell) {
          if (!cell.hasAttribute("data-label") && headers[column] && cell.colSpan === 1) {
            cell.setAttribute("data-label", headers[column]);
          }
          column += cell.colSpan || 1;
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { label(document); });
  document.addEventListener("htmx:afterSwap", function (event) { label(event.target); });
})();
