/* The region page's year slider: the map, the key actors and the gaps as of the chosen year.
 * Asks /api/v1/regions/{code}/timeline?as_of=YEAR once per year (kept), then hides every actor and tie not in force
 * then (graph.js's window.ecograph.limit) and rewrites the key-actors table and the gap list. Every text goes in as a
 * text node (textContent), never as HTML. window.ecograph.timeline says which year is drawn (bench/bench_timeline.py
 * and the browser tests wait for it). */
(function () {
  "use strict";
  var box = document.getElementById("timeline");
  var slider = document.getElementById("timeline-year");
  if (!box || !slider || !window.ecograph || !window.ecograph.limit) { return; }
  var T = JSON.parse(document.getElementById("timeline-texts").textContent);
  var output = document.getElementById("timeline-output");
  var status = document.getElementById("timeline-status");
  // the key actors: a list (#key-actors) or a table (#key-actors tbody); the technical details behind them are
  // about the current data, so they are hidden while a past year is shown
  var keyList = document.getElementById("key-actors");
  if (keyList && keyList.tagName === "TABLE") { keyList = keyList.querySelector("tbody"); }
  var details = document.getElementById("key-details");
  var gapsHeading = document.getElementById("gaps-h");
  var original = { key: keyList ? Array.prototype.slice.call(keyList.children) : [],
    gaps: gapsHeading ? Array.prototype.slice.call(gapsHeading.parentNode.children).slice(1) : [] };
  var kept = {};
  var wanted = null;
  var state = window.ecograph.timeline = { year: null, drawn: null };
  box.hidden = false;

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }
  function number(value) {  // like the pages' numbers: three significant digits
    return Math.abs(value) < 1000 ? String(Number(value.toPrecision(3))) : value.toFixed(0);
  }
  function keyActors(rows) {
    if (!keyList) { return; }
    var table = keyList.tagName === "TBODY";
    keyList.replaceChildren.apply(keyList, rows.map(function (row) {
      var link = el("a", row.name);
      link.href = "/actors/" + encodeURIComponent(row.id);
      var roles = el(table ? "td" : "span", null, "roles");
      row.roles.forEach(function (role) { roles.append(el("span", T.roles[role] || role, "tag"), " "); });
      if (!table) {
        var item = el("li");
        var name = el("strong");
        name.append(link);
        item.append(name, " ", roles);
        return item;
      }
      var tr = el("tr");
      var who = el("td");
      who.append(link);
      tr.append(who, roles);
      T.measures.forEach(function (measure) {
        var cell = el("td", measure in row.measures ? number(row.measures[measure]) : "", "num");
        cell.setAttribute("data-sort", measure in row.measures ? row.measures[measure] : "");
        tr.append(cell);
      });
      return tr;
    }));
    if (details) { details.hidden = true; }
  }
  function gaps(found) {
    if (!gapsHeading) { return; }
    var section = gapsHeading.parentNode;
    Array.prototype.slice.call(section.children).slice(1).forEach(function (child) { child.remove(); });
    if (!found.length) { section.append(el("p", T.no_gaps, "muted")); return; }
    var list = el("ol", null, "items");
    list.id = "gaps";
    found.forEach(function (gap) {
      var item = el("li");
      item.append(el("span", T.severity[gap.severity] || gap.severity, "tag severity-" + gap.severity), " ",
        T.lang === "es" ? gap.text_es : gap.text_en);
      list.append(item);
    });
    section.append(list);
  }
  function draw(year, answer) {
    if (year !== wanted) { return; }  // the reader has moved on
    window.ecograph.limit({ nodes: answer.nodes, pairs: answer.pairs });
    keyActors(answer.key_actors);
    gaps(answer.gaps);
    status.textContent = T.shown.replace("{year}", year).replace("{actors}", answer.nodes.length)
      .replace("{pairs}", answer.pairs.length);
    state.year = year;
    window.ecograph.network.once("afterDrawing", function () { state.drawn = year; });
    window.ecograph.network.redraw();
  }
  function show(year) {
    wanted = year;
    output.textContent = year;
    if (kept[year]) { draw(year, kept[year]); return; }
    fetch(box.getAttribute("data-url") + "?as_of=" + year, { headers: { Accept: "application/json" } })
      .then(function (response) {
        if (response.status !== 200) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (answer) { kept[year] = answer; draw(year, answer); })
      .catch(function () { status.textContent = ""; });  // 202 while the analysis is computed: the map stays as is
  }
  slider.addEventListener("input", function () { show(slider.value); });
  document.getElementById("timeline-reset").addEventListener("click", function () {
    wanted = null;
    slider.value = slider.max;
    output.textContent = T.all;
    status.textContent = "";
    window.ecograph.limit(null);
    if (keyList) { keyList.replaceChildren.apply(keyList, original.key); }
    if (details) { details.hidden = false; }
    if (gapsHeading) {
      Array.prototype.slice.call(gapsHeading.parentNode.children).slice(1).forEach(function (child) { child.remove(); });
      original.gaps.forEach(function (child) { gapsHeading.parentNode.append(child); });
    }
    state.year = null;
    state.drawn = "all";
  });
}());
