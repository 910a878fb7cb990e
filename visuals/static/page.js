/* Small page behaviours: sortable tables, the print button, copying the embed snippet. */
(function () {
  "use strict";

  // Tables with class "sortable": a button in each heading sorts by that column. Cells may carry
  // data-sort (a number, or "" when the figure is missing: missing values always go last).
  function sortKey(cell) {
    var raw = cell.getAttribute("data-sort");
    if (raw === null) { return { text: cell.textContent.trim().toLowerCase() }; }
    return raw === "" ? { missing: true } : { number: parseFloat(raw) };
  }
  function compare(a, b) {
    if (a.number !== undefined && b.number !== undefined) { return a.number - b.number; }
    return String(a.text).localeCompare(String(b.text));
  }
  document.querySelectorAll("table.sortable").forEach(function (table) {
    var heads = table.querySelectorAll("thead th");
    heads.forEach(function (th, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (th.firstChild) { button.append(th.firstChild); }
      th.append(button);
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        heads.forEach(function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows).map(function (row) {
          return { row: row, key: sortKey(row.cells[column]) };
        });
        rows.sort(function (a, b) {
          if (a.key.missing || b.key.missing) { return (a.key.missing ? 1 : 0) - (b.key.missing ? 1 : 0); }
          return ascending ? compare(a.key, b.key) : compare(b.key, a.key);
        });
        rows.forEach(function (item) { body.append(item.row); });
      });
    });
  });

  var print = document.getElementById("print");
  if (print) { print.addEventListener("click", function () { window.print(); }); }

  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-copy"));
      source.select();
      if (navigator.clipboard) { navigator.clipboard.writeText(source.value); }
    });
  });
}());
