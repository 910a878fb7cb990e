/* The home page's map of Peru: switch the figure the regions are coloured by without reloading.
   The page draws the chosen figure itself (?map=), so without this script the form's button does the same. */
(function () {
  "use strict";
  var data = document.getElementById("peru-map-data");
  var select = document.getElementById("map-figure");
  if (!data || !select) { return; }
  var figures = JSON.parse(data.textContent);
  document.getElementById("map-show").hidden = true;

  function draw(figure) {
    var regions = figures[figure];
    Object.keys(regions).forEach(function (code) {
      var fill = regions[code][0], text = regions[code][1];
      var shape = document.getElementById("shape-" + code);
      shape.setAttribute("fill", fill || "url(#hatch)");
      document.querySelectorAll("#peru-map [data-code='" + code + "']").forEach(function (link) {
        if (link.hasAttribute("aria-label")) { link.setAttribute("aria-label", text); }
        link.querySelector("title").textContent = text;
      });
    });
    document.querySelectorAll("#peru-map .map-legend").forEach(function (legend) {
      legend.hidden = legend.getAttribute("data-figure") !== figure;
    });
    var address = new URL(window.location.href);
    address.searchParams.set("map", figure);
    window.history.replaceState(null, "", address.pathname + address.search + address.hash);
  }
  select.addEventListener("change", function () { draw(select.value); });
}());
