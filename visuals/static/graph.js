/* Draws the ecosystem map from the JSON blocks #graph-data and #graph-texts with vis-network.
 * Every text from the data goes into the page as a text node (textContent, never innerHTML),
 * so an actor named "<img src=x onerror=...>" is shown, not run.
 * Two kinds of map: actors (data.kind "actors"), or a large region's communities ("communities"), where a
 * tap opens a community's own map and the search finds the community an actor is in.
 * Positions come from the server (seeded), physics is off; the drawing is fitted to the canvas. */
(function () {
  "use strict";
  var box = document.getElementById("graph");
  if (!box || !window.vis) { return; }
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var T = JSON.parse(document.getElementById("graph-texts").textContent);
  var communities = data.kind === "communities";
  var FADED = { background: "#e6e6e3", border: "#d0d0cc" };
  var EDGE = data.options.edges.color;
  var MAX_LABELS = 40;  // labels drawn at most; fewer where they would overlap
  var ALWAYS_NAMED = 3;  // the largest actors, named even where their label covers other nodes
  var FIT = { animation: false, maxZoomLevel: 2.5 };  // vis-network's default stops at 1: half the canvas
  var status = document.getElementById("graph-status");
  var embedded = document.body.classList.contains("embed");

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
  function communityName(n) { return n.text[T.lang] || n.text.es; }

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
  function communityTip(n) {
    var tip = el("div", null, "tip");
    tip.append(el("strong", communityName(n)));
    var rows = [[T.ui.local, number(n.local)], [T.ui.ties_inside, number(n.ties)]];
    Object.keys(n.sectors).forEach(function (s) { rows.push([label("sector", s), number(n.sectors[s])]); });
    tip.append(facts(rows));
    return tip;
  }
  function edgeTip(e) {
    var tip = el("div", null, "tip");
    tip.append(el("strong", names[e.from] + " — " + names[e.to]));
    if (communities) {
      tip.append(el("div", T.ui.between + ": " + number(e.ties)));
      return tip;
    }
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

  // Labels: only the largest nodes (by the measure that sizes them), each below its node or else above it (font
  // vadjust), where it overlaps neither a label already placed nor another node (the first ALWAYS_NAMED may cover
  // nodes). Node and font sizes follow vis-network's scaling of "value" (options.nodes.scaling); positions and
  // sizes are both in canvas units, so what does not overlap here does not at any zoom.
  var measuring = document.createElement("canvas").getContext("2d");
  function fullLabel(n) {
    return communities ? communityName(n).replace(" · ", "\n") : n.short;
  }
  function labelled(list) {  // node id → the vertical shift of its label (0: below the node)
    var scaling = data.options.nodes.scaling;
    var values = list.map(function (n) { return n.value || 0; });
    var low = Math.min.apply(null, values), high = Math.max.apply(null, values);
    var ordered = list.slice().sort(function (a, b) { return (b.value || 0) - (a.value || 0) || (a.id < b.id ? -1 : 1); });
    function scaleOf(n) { return high === low ? 0.5 : ((n.value || 0) - low) / (high - low); }
    var bodies = list.map(function (n) {
      var reach = scaling.min + scaleOf(n) * (scaling.max - scaling.min);
      return { id: n.id, left: n.x - reach, right: n.x + reach, top: n.y - reach, bottom: n.y + reach };
    });
    // a label above its node stays within the drawing's top, which is where vis-network's fit stops
    var top = Math.min.apply(null, bodies.map(function (o) { return o.top; }));
    var boxes = [], shifts = {};
    ordered.forEach(function (n) {
      var text = fullLabel(n);
      if (boxes.length >= MAX_LABELS || !text) { return; }
      var scale = scaleOf(n);
      var size = scaling.min + scale * (scaling.max - scaling.min);
      var font = scaling.label.min + scale * (scaling.label.max - scaling.label.min);
      var lines = text.split("\n");
      measuring.font = font + "px " + data.options.nodes.font.face;
      var width = Math.max.apply(null, lines.map(function (line) { return measuring.measureText(line).width; })) + 8;
      // where vis-network draws a label below a node: from half a line and 4 px under it, one font size a line
      var height = lines.length * font, below = size + font / 2 + 4;
      // below, above, and for the few largest actors below or above again even over other nodes: they should be
      // named (the largest always is)
      var above = -(2 * below + height);
      var tries = [[0, true], [above, true]].concat(boxes.length < ALWAYS_NAMED ? [[0, false], [above, false]] : []);
      tries.some(function (attempt) {
        var shift = attempt[0];
        var place = { left: n.x - width / 2, right: n.x + width / 2, top: n.y + below + shift,
                      bottom: n.y + below + shift + height };
        function covers(o) {
          return o.left < place.right && place.left < o.right && o.top < place.bottom && place.top < o.bottom;
        }
        if ((shift < 0 && place.top < top) || boxes.some(covers) ||
            (attempt[1] && bodies.some(function (o) { return o.id !== n.id && covers(o); }))) {
          return false;
        }
        boxes.push(place);
        shifts[n.id] = shift;
        return true;
      });
    });
    return shifts;
  }
  function labels(list) {
    var shifts = labelled(list);
    return list.map(function (n) {
      var shown = n.id in shifts;
      return { id: n.id, label: shown ? fullLabel(n) : "", font: { vadjust: shown ? shifts[n.id] : 0 } };
    });
  }

  var homeOf = {};  // on a map of communities: actor id → its community's node
  (data.actors || []).forEach(function (row) { homeOf[row[0]] = "c" + row[3]; });
  function community(actor) { return homeOf[actor]; }
  var names = {};
  var colours = {};
  data.nodes.forEach(function (n) {
    names[n.id] = communities ? communityName(n) : n.name;
    colours[n.id] = n.color;
    n.title = communities ? communityTip(n) : nodeTip(n);
  });
  labels(data.nodes).forEach(function (change, index) {
    data.nodes[index].label = change.label;
    data.nodes[index].font = change.font;
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
  // "ready" once the map is drawn and fitted to its canvas: tests and the print image wait for it
  window.ecograph = { network: network, nodes: nodes, edges: edges, data: data, ready: false };
  // the region page's year slider (timeline.js): hide every actor and tie but these ({nodes: [ids], pairs: [[a, b]]},
  // each pair sorted), or show them all again (null); nodes keep their places
  window.ecograph.limit = function (only) {
    var keep = {};
    if (only) {  // on a map of communities: the communities of those actors, the pairs of communities they tie
      var at = communities ? community : function (id) { return id; };
      only.nodes.forEach(function (id) { keep[at(id)] = true; });
      only.pairs.forEach(function (pair) {
        var ends = [at(pair[0]), at(pair[1])].sort();
        keep[ends[0] + "\u0000" + ends[1]] = true;
      });
    }
    nodes.update(data.nodes.map(function (n) { return { id: n.id, hidden: !!only && !keep[n.id] }; }));
    edges.update(data.edges.map(function (e) {
      var pair = e.from < e.to ? e.from + "\u0000" + e.to : e.to + "\u0000" + e.from;
      return { id: e.id, hidden: !!only && (!!e.recommended || !keep[pair]) };
    }));
  };
  network.once("afterDrawing", function () {
    network.fit(FIT);
    network.once("afterDrawing", function () { window.ecograph.ready = true; });
    network.redraw();
  });

  function highlight(ids) {
    var keep = {};
    ids.forEach(function (id) {
      keep[id] = true;
      if (!communities) { network.getConnectedNodes(id).forEach(function (other) { keep[other] = true; }); }
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
    network.fit({ nodes: ids, maxZoomLevel: FIT.maxZoomLevel, animation: { duration: 400 } });
  }
  // a community's own map: a page of its own (in a new tab from an embed, which has no room for it)
  function communityPage(n, actor) {
    var url = new URL(window.location.pathname.replace(/\/$/, "") + "/communities/" + n.community, window.location.href);
    url.pathname = url.pathname.replace("/embed/regions/", "/regions/");
    if (T.lang) { url.searchParams.set("lang", T.lang); }
    if (actor) { url.searchParams.set("focus", actor); }
    return url.toString();
  }
  network.on("click", function (params) {
    if (communities && params.nodes.length) {
      var chosen = nodes.get(params.nodes[0]);
      if (embedded) { window.open(communityPage(chosen), "_blank", "noopener"); } else { window.location.assign(communityPage(chosen)); }
      return;
    }
    if (params.nodes.length) { highlight(params.nodes); } else { clearHighlight(); }
  });

  // search by name or acronym: an actor on a map of actors, the community an actor is in on a map of communities
  var search = document.getElementById("graph-search");
  var choices = document.getElementById("graph-names");
  var people = communities ? data.actors.map(function (row) {
    return { id: row[0], name: row[1], acronym: row[2], community: row[3] };
  }) : data.nodes;
  if (search) {
    people.slice().sort(function (a, b) { return a.name.localeCompare(b.name); }).forEach(function (n) {
      var option = document.createElement("option");
      option.value = n.name;
      choices.append(option);
    });
    search.form.addEventListener("submit", function (event) { event.preventDefault(); find(); });
    // "change" also fires when the box loses focus, as when the reader follows the link find() wrote: not again
    search.addEventListener("change", function () { if (fold(search.value) !== searched) { find(); } });
  }
  var searched = null;
  function find() {
    var wanted = fold(search.value);
    searched = wanted;
    status.textContent = "";
    if (!wanted) { clearHighlight(); return; }
    var match = people.filter(function (n) { return fold(n.name) === wanted; })[0] ||
      people.filter(function (n) { return fold(n.name).indexOf(wanted) >= 0 || fold(n.acronym).indexOf(wanted) >= 0; })[0];
    if (!match) { status.textContent = T.ui.not_found; return; }
    if (!communities) { show([match.id]); return; }
    var home = nodes.get("c" + match.community);
    show([home.id]);
    var link = el("a", T.ui.community_open);
    link.href = communityPage(home, match.id);
    if (embedded) { link.target = "_blank"; link.rel = "noopener"; }
    status.append(T.ui.community_found.replace("{actor}", match.name).replace("{community}", communityName(home)) + " ", link);
  }
  function homes(ids) {  // actors' nodes on a map of actors; their communities' on a map of communities
    if (!communities) { return ids.filter(function (id) { return nodes.get(id); }); }
    return ids.map(community).filter(function (id, i, all) { return id && all.indexOf(id) === i; });
  }

  // size by another measure without reloading (the form reloads the page when scripts are off)
  var measure = document.getElementById("graph-measure");
  if (measure) {
    measure.addEventListener("change", function () {
      data.nodes.forEach(function (n) { n.value = n.measures[measure.value] || 0; });
      var changes = labels(data.nodes);
      nodes.update(data.nodes.map(function (n, index) {
        return { id: n.id, value: n.value, label: changes[index].label, font: changes[index].font };
      }));
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
      show(homes(button.getAttribute("data-nodes").split(" ")));
      box.scrollIntoView({ behavior: "smooth", block: "center" });
    });
  });
  var reset = document.getElementById("graph-reset");
  if (reset) {
    reset.addEventListener("click", function () {
      clearHighlight(); network.unselectAll(); network.fit(FIT); status.textContent = "";
    });
  }
  var focus = data.focus || new URLSearchParams(window.location.search).get("focus");
  if (focus && nodes.get(focus)) {
    network.once("afterDrawing", function () { network.selectNodes([focus]); highlight([focus]); });
  }

  // keep the whole map in view when the screen turns or resizes, unless the reader has zoomed or panned
  var moved = false;
  network.on("zoom", function () { moved = true; });
  network.on("dragEnd", function (params) { if (!params.nodes.length) { moved = true; } });
  var resizing = null;
  network.on("resize", function () {  // vis-network's own event, once the canvas has its new size
    window.clearTimeout(resizing);
    resizing = window.setTimeout(function () { if (!moved) { network.fit(FIT); } }, 100);
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
