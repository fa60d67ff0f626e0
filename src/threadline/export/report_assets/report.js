/* threadline report: network interaction and table sorting.
 * Vanilla JavaScript, no libraries, no network. Text from the data is only
 * ever written with textContent, never parsed as HTML. */
(function () {
  "use strict";

  function make(tag, text, cls) {
    var el = document.createElement(tag);
    if (text !== undefined && text !== null) { el.textContent = String(text); }
    if (cls) { el.className = cls; }
    return el;
  }

  /* ---- sortable tables ---- */
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    var heads = table.querySelectorAll("thead th");
    Array.prototype.forEach.call(heads, function (th, col) {
      th.addEventListener("click", function () {
        var asc = !th.classList.contains("asc");
        Array.prototype.forEach.call(heads, function (h) { h.classList.remove("asc", "desc"); });
        th.classList.add(asc ? "asc" : "desc");
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var value = function (row) {
          var cell = row.cells[col];
          var raw = cell.hasAttribute("data-v") ? cell.getAttribute("data-v") : cell.textContent.trim();
          var num = parseFloat(raw);
          return th.classList.contains("num") && !isNaN(num) ? num : raw.toLowerCase();
        };
        rows.sort(function (a, b) {
          var x = value(a), y = value(b);
          return (x < y ? -1 : x > y ? 1 : 0) * (asc ? 1 : -1);
        });
        rows.forEach(function (row) { body.appendChild(row); });
      });
    });
  });

  /* ---- long lists: collapsed below their first rows, "show all", filters ---- */
  function containerOf(button) {
    var el = button.previousElementSibling;
    while (el && !el.classList.contains("collapsible")) { el = el.previousElementSibling; }
    return el;
  }
  Array.prototype.forEach.call(document.querySelectorAll("button.tl-more"), function (button) {
    var label = button.textContent;
    button.addEventListener("click", function () {
      var box = containerOf(button);
      if (!box) { return; }
      var open = box.classList.toggle("open");
      button.textContent = open ? "Show fewer" : label;
    });
  });
  function reveal(target) {
    for (var n = target; n && n.classList; n = n.parentNode) {
      if (n.classList.contains("collapsible")) { n.classList.add("open"); }
      if (n.tagName === "DETAILS") { n.open = true; }
    }
  }
  document.addEventListener("click", function (ev) {
    var link = ev.target.closest ? ev.target.closest("a") : null;
    var href = link ? link.getAttribute("href") || "" : "";
    if (href.charAt(0) !== "#") { return; }
    var target = document.getElementById(href.slice(1));
    if (target) { reveal(target); }
  });
  Array.prototype.forEach.call(document.querySelectorAll("input.tl-filter"), function (box) {
    var key = box.getAttribute("data-target");
    var byId = document.getElementById(key);
    var boxes = byId ? [byId] : Array.prototype.slice.call(document.querySelectorAll("[data-group='" + key + "']"));
    box.addEventListener("input", function () {
      var q = box.value.trim().toLowerCase();
      boxes.forEach(function (container) {
        container.classList.toggle("filtering", q !== "");
        var items = container.tBodies ? container.tBodies[0].rows : container.children;
        Array.prototype.forEach.call(items, function (item) {
          item.classList.toggle("nomatch", q !== "" && item.textContent.toLowerCase().indexOf(q) === -1);
        });
      });
    });
  });

  /* ---- network ---- */
  var svg = document.getElementById("tl-svg");
  var dataEl = document.getElementById("tl-data");
  if (!svg || !dataEl) { return; }
  var data = JSON.parse(dataEl.textContent);
  var info = document.getElementById("tl-info");
  var hint = info.cloneNode(true).childNodes;
  var nodeEls = [], labelEls = [], edgeEls = [];
  Array.prototype.forEach.call(svg.querySelectorAll(".node"), function (el) { nodeEls[+el.getAttribute("data-i")] = el; });
  Array.prototype.forEach.call(svg.querySelectorAll(".label"), function (el) { labelEls[+el.getAttribute("data-i")] = el; });
  Array.prototype.forEach.call(svg.querySelectorAll(".edge"), function (el) { edgeEls[+el.getAttribute("data-k")] = el; });
  var incident = data.nodes.map(function () { return []; });
  data.edges.forEach(function (e, k) { incident[e.s].push(k); if (e.t !== e.s) { incident[e.t].push(k); } });
  var selected = null;

  function shown(k) { return !edgeEls[k].classList.contains("off"); }
  function mark(i, cls) { nodeEls[i].classList.add(cls); if (labelEls[i]) { labelEls[i].classList.add(cls); } }
  function clearMarks(cls) {
    Array.prototype.forEach.call(svg.querySelectorAll("." + cls), function (el) { el.classList.remove(cls); });
  }

  function highlightNode(i) {
    clearMarks("hl");
    svg.classList.add("focus");
    mark(i, "hl");
    incident[i].forEach(function (k) {
      if (!shown(k)) { return; }
      var e = data.edges[k];
      edgeEls[k].classList.add("hl");
      mark(e.s === i ? e.t : e.s, "hl");
    });
  }
  function highlightEdge(k) {
    clearMarks("hl");
    svg.classList.add("focus");
    edgeEls[k].classList.add("hl");
    mark(data.edges[k].s, "hl");
    mark(data.edges[k].t, "hl");
  }
  function clearHighlight() { clearMarks("hl"); svg.classList.remove("focus"); }

  function field(dl, label, value) {
    if (value === null || value === undefined || value === "" || (value.length === 0)) { return; }
    dl.appendChild(make("dt", label));
    dl.appendChild(make("dd", Array.isArray(value) ? value.join("; ") : value));
  }
  function quote(ev) {
    var block = make("blockquote", null, "quote" + (ev.hedged ? " hedged" : ""));
    if (ev.quote) { block.appendChild(make("q", ev.quote)); }
    else if (ev.row !== null && ev.row !== undefined) { block.appendChild(make("span", "record row " + ev.row, "muted")); }
    var cite = make("cite");
    var link = make("a", ev.doc_title);
    link.setAttribute("href", "#doc-" + ev.doc_id);
    cite.appendChild(link);
    if (ev.doc_date) { cite.appendChild(document.createTextNode(", " + ev.doc_date)); }
    block.appendChild(cite);
    return block;
  }
  function showNode(i) {
    var n = data.nodes[i];
    info.textContent = "";
    info.appendChild(make("h4", n.name));
    var dl = make("dl");
    field(dl, "Type", n.schema);
    field(dl, "Other names", n.other_names);
    field(dl, "Aliases", n.aliases);
    field(dl, "Roles", n.roles);
    field(dl, "Degree", n.degree);
    field(dl, "Betweenness", n.betweenness.toFixed(3));
    field(dl, "Community", n.community);
    field(dl, "Possible watchlist matches (to be checked)", n.watchlist);
    info.appendChild(dl);
    var list = make("ul");
    incident[i].forEach(function (k) {
      var e = data.edges[k];
      var other = data.nodes[e.s === i ? e.t : e.s];
      var item = make("li", e.type + (e.detail ? " (" + e.detail + ")" : "") + ": " + other.name);
      item.style.cursor = "pointer";
      item.addEventListener("click", function () { select({ kind: "edge", k: k }); });
      list.appendChild(item);
    });
    if (incident[i].length) { info.appendChild(make("p", "Ties (click one for its quote):", "muted")); info.appendChild(list); }
  }
  function showEdge(k) {
    var e = data.edges[k];
    info.textContent = "";
    info.appendChild(make("h4", data.nodes[e.s].name + " — " + e.type + " — " + data.nodes[e.t].name));
    var dl = make("dl");
    field(dl, "Detail", e.detail);
    field(dl, "Confidence", e.confidence === null ? null : e.confidence.toFixed(2));
    var flags = [];
    if (e.hedged) { flags.push("hedged in the source"); }
    if (e.inferred) { flags.push("inferred by threadline, not stated in a source"); }
    field(dl, "Note", flags);
    info.appendChild(dl);
    e.evidence.forEach(function (ev) { info.appendChild(quote(ev)); });
    if (!e.evidence.length) { info.appendChild(make("p", "No quote.", "muted")); }
    if (e.more) { info.appendChild(make("p", "+ " + e.more + " more in the Ties section.", "muted")); }
    var all = make("a", "See in the ties table");
    all.setAttribute("href", "#tie-" + e.id);
    info.appendChild(all);
  }
  function show(state) {
    if (!state) {
      clearHighlight();
      info.textContent = "";
      Array.prototype.forEach.call(hint, function (n) { info.appendChild(n.cloneNode(true)); });
      return;
    }
    if (state.kind === "node") { highlightNode(state.i); showNode(state.i); }
    else { highlightEdge(state.k); showEdge(state.k); }
  }
  function select(state) { selected = state; show(state); }

  nodeEls.forEach(function (el, i) {
    el.addEventListener("mouseenter", function () { show({ kind: "node", i: i }); });
    el.addEventListener("mouseleave", function () { show(selected); });
    el.addEventListener("click", function (ev) { ev.stopPropagation(); select({ kind: "node", i: i }); });
  });
  edgeEls.forEach(function (el, k) {
    el.addEventListener("click", function (ev) { ev.stopPropagation(); select({ kind: "edge", k: k }); });
  });

  /* ---- pan and zoom by changing the viewBox ---- */
  var vb = svg.viewBox.baseVal;
  var home = { x: vb.x, y: vb.y, w: vb.width, h: vb.height };
  function toSvg(ev) {
    var r = svg.getBoundingClientRect();
    return { x: vb.x + (ev.clientX - r.left) / r.width * vb.width, y: vb.y + (ev.clientY - r.top) / r.height * vb.height };
  }
  svg.addEventListener("wheel", function (ev) {
    ev.preventDefault();
    var p = toSvg(ev), f = ev.deltaY < 0 ? 0.85 : 1 / 0.85;
    vb.x = p.x - (p.x - vb.x) * f; vb.y = p.y - (p.y - vb.y) * f;
    vb.width *= f; vb.height *= f;
  }, { passive: false });
  var drag = null;
  svg.addEventListener("pointerdown", function (ev) {
    if (ev.target.closest(".node, .edge")) { return; }
    drag = { x: ev.clientX, y: ev.clientY, vx: vb.x, vy: vb.y, moved: false };
    svg.setPointerCapture(ev.pointerId);
    svg.classList.add("dragging");
  });
  svg.addEventListener("pointermove", function (ev) {
    if (!drag) { return; }
    var r = svg.getBoundingClientRect();
    var dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 3) { drag.moved = true; }
    vb.x = drag.vx - dx * vb.width / r.width;
    vb.y = drag.vy - dy * vb.height / r.height;
  });
  svg.addEventListener("pointerup", function () {
    if (drag && !drag.moved) { select(null); }
    drag = null;
    svg.classList.remove("dragging");
  });
  document.getElementById("tl-reset").addEventListener("click", function () {
    vb.x = home.x; vb.y = home.y; vb.width = home.w; vb.height = home.h;
    select(null);
  });

  /* ---- filters: tie types and inferred ties ---- */
  var typeBoxes = document.querySelectorAll("input[data-tie-type]");
  var inferredBox = document.getElementById("tl-show-inferred");
  function applyFilters() {
    var on = {};
    Array.prototype.forEach.call(typeBoxes, function (box) { on[box.getAttribute("data-tie-type")] = box.checked; });
    data.edges.forEach(function (e, k) {
      var visible = on[e.type] !== false && (!e.inferred || inferredBox.checked);
      edgeEls[k].classList.toggle("off", !visible);
    });
    // a node shows while one of its ties does (inferred-only nodes hide with their ties)
    nodeEls.forEach(function (el, i) {
      var hidden = incident[i].length > 0 && !incident[i].some(shown);
      el.classList.toggle("off", hidden);
      if (labelEls[i]) { labelEls[i].classList.toggle("off", hidden); }
    });
    show(selected);
  }
  Array.prototype.forEach.call(typeBoxes, function (box) { box.addEventListener("change", applyFilters); });
  inferredBox.addEventListener("change", applyFilters);
  applyFilters();

  /* ---- find a node by any of its names ---- */
  document.getElementById("tl-search").addEventListener("input", function (ev) {
    var q = ev.target.value.trim().toLowerCase();
    clearMarks("match");
    if (!q) { return; }
    data.nodes.forEach(function (n, i) {
      var names = [n.name].concat(n.other_names, n.aliases).join("\n").toLowerCase();
      if (names.indexOf(q) !== -1) { mark(i, "match"); }
    });
  });
}());
