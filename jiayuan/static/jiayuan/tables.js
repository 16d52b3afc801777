/* On a phone a table turns into cards (app.css, below 600px): each cell shows its column's header beside it.
 * This copies every header's text onto the cells of its column as data-label, on load and after each htmx
 * swap. Without script the table stays a table that scrolls sideways inside the page. */
(function () {
  "use strict";

  function label(root) {
    root.querySelectorAll("table.table").forEach(function (table) {
      var headers = Array.prototype.map.call(table.querySelectorAll("thead th"), function (th) {
        return th.textContent.trim();
      });
      if (!headers.length) { return; }
      table.classList.add("cards-on-phone");
      table.querySelectorAll("tbody tr").forEach(function (row) {
        var column = 0;
        Array.prototype.forEach.call(row.children, function (cell) {
          if (!cell.hasAttribute("data-label") && headers[column]) { cell.setAttribute("data-label", headers[column]); }
          column += cell.colSpan || 1;
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () { label(document); });
  document.addEventListener("htmx:afterSwap", function (event) { label(event.target.parentNode || document); });
})();
