// The interactive graph (Cytoscape.js, canvas renderer). Positions of big views
// come from the server; clicking a node expands its neighbours, shift-clicking a
// second person highlights the path between the two, hovering an edge shows its
// evidence, and the filters / as-of slider hide what they exclude.

import { api, tieDetail } from "./api.js";
import { cellColour, clear, fmtNumber, h, TYPE_COLOURS, typeLabel } from "./dom.js";
import { drawParams, edgeVisible, filterParams, state } from "./state.js";

const SCHEMA_COLOURS = {
  Person: "#2563eb",
  Organization: "#d97706",
  Address: "#64748b",
  Event: "#be123c",
};
const SHAPES = {
  Person: "ellipse",
  Organization: "round-rectangle",
  Address: "triangle",
  Event: "diamond",
};
const LARGE = 1500; // elements above which the cheap drawing style is used
const LABELS_WHEN_LARGE = 300; // names drawn in big views (the best-connected); others on hover

let cy = null;
let container = null;
let tooltip = null;
let statusLine = null;
let pathBar = null;
let handlers = {};
let selected = null; // id of the node clicked last: one end of a path
// The server's record of every drawn node and tie, by id. Cytoscape copies each
// element's data, so elements carry only what the stylesheet reads; everything
// else (measures, dates, details) is looked up here.
const records = new Map();

function rec(ele) {
  return records.get(ele.id()) || ele.data();
}
const metrics = { lastRender: null, renders: [] };

// For tests and the benchmark: the graph, its timings and the page state.
window.threadline = {
  get cy() {
    return cy;
  },
  metrics,
  state,
  showGraph: (params) => showGraph(params),
};

export function graphReady() {
  return Boolean(window.cytoscape);
}

export function initGraph(root, options) {
  handlers = options || {};
  container = root.querySelector("#cy");
  tooltip = root.querySelector("#graph-tip");
  statusLine = root.querySelector("#graph-status");
  pathBar = root.querySelector("#path-bar");
  if (!graphReady()) {
    clear(container).append(
      h(
        "div",
        { class: "graph-missing" },
        h("strong", {}, "The graph library is not built into this installation."),
        h("p", {}, "Run ", h("code", {}, "make install"), " (it runs the frontend build) and reload."),
      ),
    );
    return;
  }
  makeCy();
}

// A fresh Cytoscape instance with the page's event handlers (also used to drop a big
// drawing at once: removing 25,000 elements one by one costs more than a new instance).
function makeCy() {
  if (cy) cy.destroy();
  cy = window.cytoscape({
    container,
    elements: [],
    style: graphStyle(false),
    minZoom: 0.02,
    maxZoom: 4,
    pixelRatio: 1,
    boxSelectionEnabled: false,
  });
  cy.on("tap", "node", (event) => onNodeTap(event.target, event.originalEvent));
  cy.on("tap", "edge", (event) => handlers.onEdge && handlers.onEdge(event.target.id()));
  cy.on("tap", (event) => {
    if (event.target === cy) hideTip();
  });
  // right click (or long press): the analyst's corrections for that node or tie
  cy.on("cxttap", "node, edge", (event) => onContext(event.target, event.originalEvent));
  cy.on("mouseover", "node", (event) => showNodeTip(event.target));
  cy.on("mouseover", "edge", (event) => showEdgeTip(event.target));
  cy.on("mouseout", "node, edge", hideTip);
  cy.on("pan zoom", hideTip);
}

// The drawing's stylesheet. Big views get a lean one: every selector is matched
// against every element, so fewer selectors, no arrows, straight one-colour edges.
function graphStyle(large) {
  const node = {
    selector: "node",
    style: {
      "background-color": "data(colour)",
      shape: "data(shape)",
      width: "data(size)",
      height: "data(size)",
      label: "data(label)",
      "font-size": 12,
      "font-family": "system-ui, sans-serif",
      color: "#1f2937",
      "text-valign": "bottom",
      "text-margin-y": 3,
      "text-outline-color": "#ffffff",
      "text-outline-width": 2,
      "min-zoomed-font-size": large ? 10 : 6,
      "border-width": large ? 0 : 1.5,
      "border-color": "#ffffff",
    },
  };
  const marks = [
    { selector: ".hidden", style: { display: "none" } },
    { selector: ".faded", style: { opacity: 0.22, "text-opacity": 0.35 } },
    { selector: "node:selected", style: { "border-width": 4, "border-color": "#f59e0b" } },
    {
      selector: ".path",
      style: { "border-width": 5, "border-color": "#f59e0b", "line-color": "#f59e0b", opacity: 1 },
    },
    {
      selector: "node.targeted",
      style: { "border-width": 5, "border-color": "#dc2626", "border-style": "double" },
    },
    {
      selector: "node.exposed",
      style: { "border-width": 4, "border-color": "#9333ea", "border-style": "dashed" },
    },
  ];
  if (large) {
    return [
      node,
      {
        selector: "edge",
        // one colour: a mapped colour per edge doubles the style work on 20,000 edges;
        // the type shows on hover, and the filters select types
        style: { "curve-style": "haystack", "haystack-radius": 0, width: 1, "line-color": "#a3afc2" },
      },
      ...marks,
      { selector: "edge.path", style: { width: 5, "z-index": 20 } },
    ];
  }
  return [
    node,
    {
      selector: "edge",
      style: {
        "curve-style": "bezier",
        width: "mapData(confidence, 0, 1, 1, 4)",
        "line-color": "data(colour)",
        "target-arrow-color": "data(colour)",
        "arrow-scale": 0.9,
        opacity: 0.75,
      },
    },
    { selector: "edge[?directed]", style: { "target-arrow-shape": "triangle" } },
    { selector: "edge[?inferred]", style: { "line-style": "dashed", opacity: 0.45 } },
    { selector: "edge[?hedged]", style: { opacity: 0.45 } },
    {
      selector: "edge[?asserted]",
      style: { "line-style": "dotted", "line-color": "#9333ea", "target-arrow-color": "#9333ea" },
    },
    { selector: "node.centre", style: { "border-width": 4, "border-color": "#111827" } },
    ...marks,
    {
      selector: "node.path",
      style: { "z-index": 20, "text-opacity": 1 },
    },
    {
      selector: "edge.path",
      style: {
        width: 7,
        "target-arrow-color": "#f59e0b",
        "z-index": 20,
        "line-style": "solid",
      },
    },
  ];
}

function nodeColour(n) {
  return state.colourBy === "cell" && n.cell !== null && n.cell !== undefined
    ? cellColour(n.cell)
    : SCHEMA_COLOURS[n.schema] || "#9ca3af";
}

function measureOf(n) {
  return state.sizeBy === "links" ? n.links : (n.measures || {})[state.sizeBy] || 0;
}

function nodeSize(value, top) {
  return 14 + 38 * Math.sqrt(top > 0 ? value / top : 0);
}

function nodeData(n, parent, top = 0, label = true) {
  records.set(n.id, n);
  return {
    group: "nodes",
    data: {
      id: n.id,
      label: label ? n.name : "",
      shape: SHAPES[n.schema] || "ellipse",
      colour: nodeColour(n),
      size: nodeSize(measureOf(n), top || measureOf(n)),
    },
    position:
      n.x !== null && n.x !== undefined
        ? { x: n.x, y: n.y }
        : parent || { x: Math.random() * 400, y: Math.random() * 400 },
  };
}

function edgeData(e, lean = false) {
  records.set(e.id, e);
  const data = lean
    ? { id: e.id, source: e.source, target: e.target }
    : {
        id: e.id,
        source: e.source,
        target: e.target,
        colour: TYPE_COLOURS[e.type] || "#94a3b8",
        confidence: e.confidence,
        directed: e.directed,
        inferred: e.inferred,
        hedged: e.hedged,
        asserted: e.asserted,
      };
  return { group: "edges", data };
}

function paint() {
  if (!cy) return;
  let top = 0;
  cy.nodes().forEach((n) => {
    top = Math.max(top, measureOf(rec(n)));
  });
  cy.batch(() => {
    cy.nodes().forEach((n) => {
      const r = rec(n);
      const size = nodeSize(measureOf(r), top);
      const colour = nodeColour(r);
      if (n.data("size") !== size) n.data("size", size);
      if (n.data("colour") !== colour) n.data("colour", colour);
    });
  });
}

// Big drawings move as a bitmap while panning or zooming, and redraw when the move ends.
function setViewportMode(large) {
  const renderer = cy.renderer();
  if (!renderer) return;
  renderer.textureOnViewport = large;
  renderer.hideEdgesOnViewport = large;
  renderer.hideLabelsOnViewport = large;
}

export function restyle() {
  paint();
}

// Hide the edges the filters exclude, and events dated after "as of".
function filtering() {
  const f = state.filters;
  return Boolean(
    f.types || f.min_confidence > 0 || !f.inferred || !f.asserted || f.since || f.until || f.as_of || !f.undated,
  );
}

export function applyFilters() {
  if (!cy) return;
  if (!filtering() && cy.$(".hidden").empty()) {
    updateStatus();
    return;
  }
  const asOf = state.filters.as_of;
  cy.batch(() => {
    cy.edges().forEach((e) => {
      const hide = !edgeVisible(rec(e));
      if (hide !== e.hasClass("hidden")) e.toggleClass("hidden", hide);
    });
    cy.nodes().forEach((n) => {
      const d = rec(n);
      const hide = Boolean(asOf && d.schema === "Event" && d.date && d.date > asOf);
      if (hide !== n.hasClass("hidden")) n.toggleClass("hidden", hide);
    });
  });
  updateStatus();
}

function updateStatus(extra) {
  if (!statusLine || !cy) return;
  const nodes = cy.nodes().length - cy.nodes(".hidden").length;
  const edges = cy.edges().length - cy.edges(".hidden").length;
  const timing = metrics.lastRender ? ` · drawn in ${Math.round(metrics.lastRender.ms)} ms` : "";
  statusLine.textContent = `${nodes} nodes · ${edges} ties shown${timing}${extra ? " · " + extra : ""}`;
}

// Replace the graph with a server response ({nodes, edges}), timing the first render.
function replaceWith(graph, { centre = null, layoutOnClient = false } = {}) {
  const received = performance.now();
  if (cy.elements().length > LARGE) makeCy();
  const done = new Promise((resolve) => {
    cy.one("render", () =>
      requestAnimationFrame(() => {
        const ms = performance.now() - received;
        metrics.lastRender = { ms, nodes: graph.nodes.length, edges: graph.edges.length };
        metrics.renders.push(metrics.lastRender);
        updateStatus(graph.truncated ? "capped: more exist" : "");
        resolve(metrics.lastRender);
      }),
    );
  });
  const large = graph.nodes.length + graph.edges.length > LARGE;
  const top = graph.nodes.reduce((m, n) => Math.max(m, measureOf(n)), 0);
  const labelled = new Set(
    large
      ? [...graph.nodes].sort((a, b) => b.links - a.links).slice(0, LABELS_WHEN_LARGE).map((n) => n.id)
      : graph.nodes.map((n) => n.id),
  );
  clearPath(false);
  records.clear();
  cy.startBatch();
  cy.elements().remove();
  cy.style(graphStyle(large));
  cy.add(
    graph.nodes
      .map((n) => nodeData(n, null, top, labelled.has(n.id)))
      .concat(graph.edges.map((e) => edgeData(e, large))),
  );
  cy.endBatch();
  setViewportMode(large);
  applyFilters();
  if (centre) cy.$id(centre).addClass("centre");
  if (layoutOnClient) {
    cy.layout({ name: "cose", animate: false, randomize: false, fit: true, padding: 40 }).run();
  } else {
    cy.fit(undefined, 40); // positions came with the data: no layout pass needed
  }
  if (cy.zoom() > 1.4) {
    cy.zoom(1.4);
    cy.center();
  }
  return done;
}

export async function showOverview(maxNodes = 300) {
  if (!cy) return null;
  setBusy(true);
  try {
    const graph = await api.get("/graph", {
      ...drawParams(),
      max_nodes: maxNodes,
      max_edges: Math.min(20000, maxNodes * 4),
      layout: "true",
    });
    return await replaceWith(graph);
  } finally {
    setBusy(false);
  }
}

// The members of some cells and the ties among them, laid out on the server.
export async function showCells(cells, maxNodes = 5000) {
  return showGraph({ cell: cells, max_nodes: maxNodes, max_edges: Math.min(20000, maxNodes * 4) });
}

// Any overview the API's /graph answers (for the panels, tests and the benchmark).
export async function showGraph(params) {
  if (!cy) return null;
  setBusy(true);
  try {
    const graph = await api.get("/graph", { ...drawParams(), layout: "true", ...params });
    return await replaceWith(graph);
  } finally {
    setBusy(false);
  }
}

export async function showNeighbourhood(id, hops = 1) {
  if (!cy) return null;
  setBusy(true);
  try {
    const graph = await api.get(`/graph/neighbourhood/${encodeURIComponent(id)}`, {
      ...drawParams(),
      hops,
      max_nodes: 300,
      layout: "true",
    });
    const done = await replaceWith(graph, { centre: id });
    select(id);
    return done;
  } finally {
    setBusy(false);
  }
}

// Add a node's neighbours around it, keeping everything already drawn in place.
export async function expand(id) {
  if (!cy) return 0;
  setBusy(true);
  try {
    const graph = await api.get(`/graph/neighbourhood/${encodeURIComponent(id)}`, {
      ...drawParams(),
      hops: 1,
      max_nodes: 150,
    });
    let anchor = cy.$id(id);
    if (anchor.empty()) {
      const centreNode = graph.nodes.find((n) => n.id === id);
      cy.add(nodeData(centreNode, { x: 0, y: 0 }));
      anchor = cy.$id(id);
    }
    const centre = anchor.position();
    const fresh = graph.nodes.filter((n) => cy.$id(n.id).empty());
    const radius = 90 + 14 * Math.sqrt(fresh.length) * 3;
    const start = Math.random() * Math.PI * 2;
    cy.batch(() => {
      fresh.forEach((n, k) => {
        const angle = start + (2 * Math.PI * k) / Math.max(fresh.length, 1);
        const at = { x: centre.x + radius * Math.cos(angle), y: centre.y + radius * Math.sin(angle) };
        cy.add({ ...nodeData(n), position: at });
      });
      for (const e of graph.edges) {
        if (cy.$id(e.id).empty() && !cy.$id(e.source).empty() && !cy.$id(e.target).empty()) {
          cy.add(edgeData(e));
        }
      }
    });
    paint();
    applyFilters();
    if (fresh.length) focus(cy.nodes().length <= 80 ? cy.elements() : anchor.closedNeighborhood());
    return fresh.length;
  } finally {
    setBusy(false);
  }
}

function onNodeTap(node, original) {
  hideTip();
  const id = node.id();
  if (original && original.shiftKey && selected && selected !== id) {
    highlightPath(selected, id);
    return;
  }
  select(id);
  if (handlers.onNode) handlers.onNode(id);
  expand(id);
}

function onContext(ele, original) {
  hideTip();
  if (!handlers.onMenu) return;
  const r = rec(ele);
  const box = container.getBoundingClientRect();
  const at = ele.isNode() ? ele.renderedPosition() : ele.renderedMidpoint();
  const x = original && original.clientX !== undefined ? original.clientX : box.left + at.x;
  const y = original && original.clientY !== undefined ? original.clientY : box.top + at.y;
  const target = ele.isNode()
    ? { kind: "node", id: ele.id(), name: r.name, schema: r.schema }
    : { kind: "edge", id: ele.id(), type: r.type, source: ele.source().id(), target: ele.target().id() };
  handlers.onMenu(x, y, target);
}

// After a correction made on the graph: a rejected node or tie goes; a retyped one
// is drawn again from the server (its id may change), keeping the rest in place.
export async function corrected(target, body) {
  if (!cy) return;
  const ele = cy.$id(target.id);
  const anchors = target.kind === "node" ? ele.neighborhood("node").map((n) => n.id()) : [target.source, target.target];
  ele.remove();
  records.delete(target.id);
  const rejected = body.kind === "reject_entity" || body.kind === "reject_tie";
  const anchor = anchors.find((id) => cy.$id(id).nonempty());
  if (!rejected && anchor) await expand(anchor);
  updateStatus();
}

function select(id) {
  selected = id;
  if (!cy) return;
  cy.nodes(":selected").unselect();
  cy.$id(id).select();
}

export function selectedNode() {
  return selected;
}

// Fetch the shortest path (with the current filters) and highlight it.
export async function highlightPath(from, to) {
  if (!cy) return null;
  setBusy(true);
  let path;
  try {
    path = await api.get("/graph/path", { ...filterParams(), source: from, target: to });
  } finally {
    setBusy(false);
  }
  clearPath(false);
  if (!path.found) {
    showPathBar(path, from, to);
    return path;
  }
  const anchor = cy.$id(from).empty() ? { x: 0, y: 0 } : cy.$id(from).position();
  cy.batch(() => {
    path.nodes.forEach((n, k) => {
      if (cy.$id(n.id).empty()) {
        cy.add(nodeData({ ...n, measures: {} }, { x: anchor.x + 120 * (k + 1), y: anchor.y + 60 }));
      }
    });
    for (const hop of path.hops) {
      for (const t of hop.ties) {
        if (cy.$id(t.id).empty()) {
          cy.add(
            edgeData({
              id: t.id,
              source: t.source.id,
              target: t.target.id,
              type: t.type,
              detail: t.detail,
              directed: t.directed,
              confidence: t.confidence,
              hedged: t.hedged,
              inferred: t.inferred,
              asserted: t.asserted,
              first_seen: t.first_seen,
            }),
          );
        }
      }
    }
  });
  paint();
  applyFilters();
  const onPath = cy.collection();
  path.nodes.forEach((n) => {
    onPath.merge(cy.$id(n.id));
  });
  for (const hop of path.hops) {
    const best = hop.ties[0];
    if (best) onPath.merge(cy.$id(best.id));
  }
  cy.elements().addClass("faded");
  onPath.removeClass("faded").addClass("path");
  const context = onPath.closedNeighborhood().filter(":visible");
  focus(cy.nodes(":visible").length <= 25 ? cy.elements(":visible") : context, 50, 1.2);
  showPathBar(path, from, to);
  return path;
}

function showPathBar(path, from, to) {
  if (!pathBar) return;
  clear(pathBar);
  pathBar.hidden = false;
  if (!path.found) {
    pathBar.append(
      h("span", { class: "path-title" }, "No path"),
      h("span", {}, " between the two with the current filters."),
      h("button", { class: "link", onclick: () => clearPath(true) }, "clear"),
    );
    return;
  }
  const steps = [];
  path.nodes.forEach((n, k) => {
    if (k > 0) {
      const hop = path.hops[k - 1];
      const kinds = [...new Set(hop.ties.map((t) => typeLabel(t.type)))].join(", ");
      // arrows follow the ties' own direction: "A ←recruited by— B" reads "B was recruited by A"
      const first = hop.ties[0];
      const along = first && first.source.id === path.nodes[k - 1].id;
      const arrow = !first || !first.directed ? ` —${kinds}— ` : along ? ` —${kinds}→ ` : ` ←${kinds}— `;
      steps.push(h("span", { class: "path-hop" }, arrow));
    }
    steps.push(h("a", { href: `#/entity/${encodeURIComponent(n.id)}`, class: "path-node" }, n.name));
  });
  pathBar.append(
    h("span", { class: "path-title" }, `Path · ${path.length} ${path.length === 1 ? "hop" : "hops"}`),
    h("span", { class: "path-steps" }, steps),
    h("button", { class: "link", onclick: () => clearPath(true) }, "clear"),
  );
  pathBar.dataset.from = from;
  pathBar.dataset.to = to;
}

export function clearPath(hideBar = true) {
  if (cy) cy.elements().removeClass("path faded");
  if (hideBar && pathBar) {
    pathBar.hidden = true;
    clear(pathBar);
  }
}

// Mark a set of entities (key players, triage targets, exposed people) on the graph.
export function markEntities(ids, cls) {
  if (!cy) return 0;
  cy.nodes().removeClass(cls);
  let found = 0;
  for (const id of ids) {
    const node = cy.$id(id);
    if (!node.empty()) {
      node.addClass(cls);
      found += 1;
    }
  }
  return found;
}

export async function ensureNodes(ids) {
  if (!cy) return;
  const missing = ids.filter((id) => cy.$id(id).empty());
  for (const id of missing) await expand(id);
}

export function fit() {
  if (cy) focus(cy.elements(":visible"), 40);
}

// Animate the view onto ``eles``, never closer than a comfortable reading zoom.
function focus(eles, padding = 60, most = 1.4) {
  if (!cy || eles.empty()) return;
  const box = eles.boundingBox();
  const zoom = Math.min(
    most,
    (cy.width() - 2 * padding) / Math.max(box.w, 1),
    (cy.height() - 2 * padding) / Math.max(box.h, 1),
  );
  cy.stop();
  cy.animate(
    { zoom: Math.max(zoom, cy.minZoom()), pan: panFor(box, zoom) },
    { duration: 250 },
  );
}

function panFor(box, zoom) {
  return {
    x: cy.width() / 2 - zoom * (box.x1 + box.w / 2),
    y: cy.height() / 2 - zoom * (box.y1 + box.h / 2),
  };
}

export function relayout() {
  if (!cy) return;
  cy.layout({ name: "cose", animate: false, randomize: false, fit: true, padding: 40 }).run();
}

function setBusy(busy) {
  if (container) container.classList.toggle("busy", busy);
}

function placeTip(event) {
  const rect = container.getBoundingClientRect();
  const p = event.renderedPosition || { x: 0, y: 0 };
  tooltip.style.left = `${Math.min(p.x + 14, rect.width - 340)}px`;
  tooltip.style.top = `${p.y + 14}px`;
  tooltip.hidden = false;
}

function showNodeTip(node) {
  if (!tooltip) return;
  const d = rec(node);
  const rows = [
    h("div", { class: "tip-title" }, d.name),
    h(
      "div",
      { class: "tip-meta" },
      `${d.schema} · ${d.links} links` + (d.cell !== null && d.cell !== undefined ? ` · cell ${d.cell}` : ""),
    ),
  ];
  if (d.date) rows.push(h("div", { class: "tip-meta" }, d.date));
  rows.push(h("div", { class: "tip-hint" }, "click: open and expand · shift-click: path from the selected node"));
  clear(tooltip).append(...rows);
  placeTip({ renderedPosition: node.renderedPosition() });
}

async function showEdgeTip(edge) {
  if (!tooltip) return;
  const d = rec(edge);
  const head = h(
    "div",
    { class: "tip-title" },
    typeLabel(d.type),
    d.detail ? ` (${d.detail})` : "",
    d.inferred ? " · inferred" : "",
    d.asserted ? " · analyst" : "",
  );
  const meta = h("div", { class: "tip-meta" }, `confidence ${fmtNumber(d.confidence, 2)}` + (d.first_seen ? ` · first seen ${d.first_seen}` : ""));
  const quote = h("div", { class: "tip-quote" }, "…");
  clear(tooltip).append(head, meta, quote, h("div", { class: "tip-hint" }, "click for every quote"));
  placeTip({ renderedPosition: edge.renderedMidpoint() });
  try {
    const tie = await tieDetail(d.id);
    const ev = tie.evidence[0];
    if (!ev) {
      quote.textContent = "no evidence stored";
    } else if (ev.kind === "analyst") {
      quote.textContent = `“${ev.quote}” — asserted by ${ev.analyst}`;
    } else {
      quote.textContent = `“${ev.quote}” — ${ev.document_title || ev.document}`;
    }
    if (tie.evidence_total > 1) quote.append(h("span", { class: "muted" }, ` (+${tie.evidence_total - 1} more)`));
  } catch (error) {
    quote.textContent = String(error.message || error);
  }
}

function hideTip() {
  if (tooltip) tooltip.hidden = true;
}
