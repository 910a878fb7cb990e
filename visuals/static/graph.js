/* Draws the ecosystem map from the JSON blocks #graph-data and #graph-texts with vis-network.
 * Every text from the data goes into the page as a text node (textContent, never innerHTML),
 * so an actor named "<img src=x onerror=...>" is shown, not run. */
(function () {
  "use strict";
  var box = document.getElementById("graph");
  if (!box || !window.vis) { return; }
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var T = JSON.parse(document.getElementById("graph-texts").textContent);
  var FADED = { background: "#e6e6e3", border: "#d0d0cc" };
  var EDGE = data.options.edges.color;
  var status = document.getElementById("graph-status");

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (cls) { node.className = cls; }
    return node;
  }
  function label(kind, code) {
    return (T[kind] && T[kind][code]) || String(code).replace(/_/g, " ");
  }
  function number(value) {  // es-PE writes a decimal point, like English
    var locale = T.lang === "es" ? "es-PE" : "en";
    return Number.isInteger(value) ? value.toLocaleString(locale)
      : value.toLocaleString(locale, { maximumSignificantDigits: 3 });
  }
  function fold(text) {
    return String(text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  function facts(rows) {
    var list = el("dl");
    rows.forEach(function (row) {
      if (row[1] !== "" && row[1] !== null && row[1] !== undefined) { list.append(el("dt", row[0]), el("dd", row[1])); }
    });
    return list;
  }

  function nodeTip(n) {
    var tip = el("div", null, "tip");
    tip.append(el("strong", n.name));
    var rows = [[T.ui.sector, label("sector", n.sector)], [T.ui.type, label("type", n.type)],
      [T.ui.region, n.region ? (T.regions[n.region] || n.region) : T.ui.national],
      [T.ui.capabilities, (n.capabilities || []).map(function (c) { return label("capability", c); }).join(", ")]];
    Object.keys(n.measures).forEach(function (m) { rows.push([label("measure", m), number(n.measures[m])]); });
    rows.push([T.ui.programs, (n.programs || []).join(", ")]);
    tip.append(facts(rows));
    if (n.illustrative) { tip.append(el("div", T.ui.illustrative, "muted")); }
    return tip;
  }
  function edgeTip(e) {
    var tip = el("div", null, "tip");
    tip.append(el("strong", names[e.from] + " — " + names[e.to]));
    if (e.recommended) {
      tip.append(el("div", T.ui.recommended), el("p", e.reason[T.lang]));
      return tip;
    }
    var list = el("ul");
    e.ties.forEach(function (tie) {
      var parts = [label("tie_type", tie.type), T.ui.strength + " " + tie.weight, label("status", tie.status)];
      if (tie.direction) {
        parts[0] += tie.direction === "forward" ? ": " + names[e.from] + " → " + names[e.to]
          : ": " + names[e.to] + " → " + names[e.from];
      }
      if (tie.program) { parts.push(tie.program); }
      if (tie.start || tie.end) { parts.push((tie.start || "…") + "–" + (tie.end || "")); }
      if (tie.illustrative) { parts.push(T.ui.illustrative); }
      list.append(el("li", parts.join(" · ")));
    });
    tip.append(list);
    return tip;
  }

  var names = {};
  var colours = {};
  data.nodes.forEach(function (n) {
    names[n.id] = n.name;
    colours[n.id] = n.color;
    n.title = nodeTip(n);
  });
  data.edges.forEach(function (e) { e.title = edgeTip(e); });

  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var sectorBoxes = Array.prototype.slice.call(document.querySelectorAll("input[name=sector]"));
  var capability = document.getElementById("graph-capability");
  var showRecommended = document.getElementById("graph-recommended");
  var nodeView = new vis.DataView(nodes, { filter: function (n) {
    var sectorOn = !sectorBoxes.length || sectorBoxes.some(function (b) { return b.checked && b.value === n.sector; });
    var cap = capability ? capability.value : "";
    return sectorOn && (!cap || (n.capabilities || []).indexOf(cap) >= 0);
  } });
  var edgeView = new vis.DataView(edges, { filter: function (e) {
    return !e.recommended || !showRecommended || showRecommended.checked;
  } });
  var network = new vis.Network(box, { nodes: nodeView, edges: edgeView }, data.options);
  // "ready" once the layout has settled: tests and the print image wait for it
  window.ecograph = { network: network, nodes: nodes, edges: edges, ready: false };

  function highlight(ids) {
    var keep = {};
    ids.forEach(function (id) {
      keep[id] = true;
      network.getConnectedNodes(id).forEach(function (other) { keep[other] = true; });
    });
    nodes.update(data.nodes.map(function (n) {
      return { id: n.id, color: keep[n.id] ? colours[n.id] : FADED,
        font: { color: keep[n.id] ? "#1a1a1a" : "rgba(0,0,0,0.25)" } };
    }));
    edges.update(data.edges.map(function (e) {
      var on = ids.indexOf(e.from) >= 0 || ids.indexOf(e.to) >= 0;
      return { id: e.id, color: { color: (e.color || EDGE).color, opacity: on ? 1 : 0.12 } };
    }));
  }
  function clearHighlight() {
    nodes.update(data.nodes.map(function (n) { return { id: n.id, color: colours[n.id], font: { color: "#1a1a1a" } }; }));
    edges.update(data.edges.map(function (e) { return { id: e.id, color: e.color || EDGE }; }));
  }
  function show(ids) {
    network.selectNodes(ids);
    highlight(ids);
    network.fit({ nodes: ids, animation: { duration: 400 } });
  }
  network.on("click", function (params) {
    if (params.nodes.length) { highlight(params.nodes); } else { clearHighlight(); }
  });
  if (data.options.physics.enabled) {
    network.once("stabilizationIterationsDone", function () {
      network.setOptions({ physics: false });
      window.ecograph.ready = true;
    });
  } else {
    network.once("afterDrawing", function () { window.ecograph.ready = true; });
  }

  // search by name or acronym
  var search = document.getElementById("graph-search");
  var choices = document.getElementById("graph-names");
  if (search) {
    data.nodes.slice().sort(function (a, b) { return a.name.localeCompare(b.name); }).forEach(function (n) {
      var option = document.createElement("option");
      option.value = n.name;
      choices.append(option);
    });
    search.form.addEventListener("submit", function (event) { event.preventDefault(); find(); });
    search.addEventListener("change", find);
  }
  function find() {
    var wanted = fold(search.value);
    if (!wanted) { clearHighlight(); return; }
    var match = data.nodes.filter(function (n) { return fold(n.name) === wanted; })[0] ||
      data.nodes.filter(function (n) { return fold(n.name).indexOf(wanted) >= 0 || fold(n.acronym).indexOf(wanted) >= 0; })[0];
    status.textContent = match ? "" : T.ui.not_found;
    if (match) { show([match.id]); }
  }

  // size by another measure without reloading (the form reloads the page when scripts are off)
  var measure = document.getElementById("graph-measure");
  if (measure) {
    measure.addEventListener("change", function () {
      nodes.update(data.nodes.map(function (n) { return { id: n.id, value: n.measures[measure.value] || 0 }; }));
      document.getElementById("legend-size").textContent = T.ui.size.replace("{measure}", label("measure", measure.value));
      var url = new URL(window.location.href);
      url.searchParams.set("measure", measure.value);
      window.history.replaceState(null, "", url);
    });
  }
  var filters = document.getElementById("graph-filters");
  if (filters) { filters.open = window.matchMedia("(min-width: 40rem)").matches; }
  sectorBoxes.concat(capability ? [capability] : []).forEach(function (input) {
    input.addEventListener("change", function () { nodeView.refresh(); });
  });
  if (showRecommended) { showRecommended.addEventListener("change", function () { edgeView.refresh(); }); }

  // "show on map" buttons next to opportunities and actors
  document.querySelectorAll("button[data-nodes]").forEach(function (button) {
    button.addEventListener("click", function () {
      if (showRecommended && !showRecommended.checked) { showRecommended.checked = true; edgeView.refresh(); }
      show(button.getAttribute("data-nodes").split(" ").filter(function (id) { return nodes.get(id); }));
      box.scrollIntoView({ behavior: "smooth", block: "center" });
    });
  });
  var reset = document.getElementById("graph-reset");
  if (reset) {
    reset.addEventListener("click", function () { clearHighlight(); network.unselectAll(); network.fit(); });
  }
  if (data.focus && nodes.get(data.focus)) {
    network.once("afterDrawing", function () { network.selectNodes([data.focus]); highlight([data.focus]); });
  }

  // keep the whole map in view when the screen turns or resizes, unless the reader has zoomed or panned
  var moved = false;
  network.on("zoom", function () { moved = true; });
  network.on("dragEnd", function (params) { if (!params.nodes.length) { moved = true; } });
  var resizing = null;
  network.on("resize", function () {  // vis-network's own event, once the canvas has its new size
    window.clearTimeout(resizing);
    resizing = window.setTimeout(function () { if (!moved) { network.fit(); } }, 100);
  });

  // printing: the canvas is swapped for an image of it, kept current once drawing settles
  var printed = document.getElementById("graph-print");
  var timer = null;
  if (printed) {
    network.on("afterDrawing", function (context) {
      window.clearTimeout(timer);
      timer = window.setTimeout(function () {
        printed.src = context.canvas.toDataURL("image/png");
        box.parentNode.classList.add("has-print");
      }, 800);
    });
  }
}());
