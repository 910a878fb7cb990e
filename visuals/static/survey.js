/* The survey form, a little nicer with JavaScript (everything works without it): the partner list filters as
   one types, without a round trip; choosing a sector or region asks the server at once. */
(function () {
  "use strict";
  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  var roster = document.getElementById("roster");
  if (!roster) { return; }
  var query = document.getElementById("q");
  var empty = document.getElementById("roster-empty");
  var items = Array.prototype.slice.call(roster.querySelectorAll("li"));
  query.addEventListener("input", function () {
    var words = fold(query.value).split(/\s+/).filter(Boolean);
    var shown = 0;
    items.forEach(function (item) {
      var name = fold(item.getAttribute("data-name"));
      item.hidden = !words.every(function (word) { return name.indexOf(word) >= 0; });
      if (!item.hidden) { shown++; }
    });
    if (empty) { empty.hidden = shown > 0; }
  });
  ["f-sector", "f-region"].forEach(function (id) {
    var select = document.getElementById(id);
    if (select) { select.addEventListener("change", function () { select.form.submit(); }); }
  });
}());
