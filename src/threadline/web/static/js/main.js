// The workbench: a hash router for the side panel, the graph on the right, the
// filter drawer (tie types, confidence, inferred, asserted, dates, as-of slider,
// colour and size) and the analyst's name.

import { api } from "./api.js";
import { contextMenu } from "./corrections.js";
import { clear, h, TYPE_COLOURS, typeLabel } from "./dom.js";
import { renderDocument } from "./document.js";
import { renderReview } from "./review.js";
import { renderEntity } from "./entity.js";
import * as graph from "./graph.js";
import {
  renderConflicts,
  renderDocuments,
  renderHome,
  renderPlayers,
  renderTie,
  renderTimeline,
} from "./panels.js";
import { initSearch } from "./search.js";
import { filtersChanged, onFiltersChange, setAnalyst, state } from "./state.js";

const side = document.getElementById("side");

const ROUTES = [
  [/^#\/entity\/(.+)$/, (root, m) => renderEntity(root, decodeURIComponent(m[1]))],
  [/^#\/review\/([^?]+)$/, (root, m) => renderReview(root, decodeURIComponent(m[1]))],
  [/^#\/document\/([^?]+)$/, (root, m, params) => renderDocument(root, decodeURIComponent(m[1]), params)],
  [/^#\/tie\/(.+)$/, (root, m) => renderTie(root, decodeURIComponent(m[1]))],
  [/^#\/timeline$/, (root) => renderTimeline(root)],
  [/^#\/conflicts$/, (root) => renderConflicts(root)],
  [/^#\/players$/, (root) => renderPlayers(root)],
  [/^#\/documents$/, (root) => renderDocuments(root)],
  [/^(#\/?)?$/, (root) => renderHome(root)],
];

let routing = 0;

async function route() {
  const hash = window.location.hash || "#/";
  const [path, query] = hash.split("?");
  const params = new URLSearchParams(query || "");
  const mine = ++routing;
  const root = h("div", { class: "panel", dataset: { route: path } });
  side.classList.add("loading");
  setWide(path.startsWith("#/review/"));
  for (const link of document.querySelectorAll("nav.tabs a")) {
    const href = link.getAttribute("href");
    link.classList.toggle("current", path === href || (href !== "#/" && path.startsWith(href)));
  }
  try {
    for (const [pattern, render] of ROUTES) {
      const m = path.match(pattern);
      if (m) {
        await render(root, m, params);
        break;
      }
    }
  } catch (error) {
    root.replaceChildren(
      h("div", { class: "error-panel" }, h("h2", {}, error.status === 404 ? "Not found" : "Something went wrong"), h("p", {}, String(error.message || error)), h("a", { href: "#/" }, "Back to the overview")),
    );
  }
  if (mine !== routing) return;
  side.classList.remove("loading");
  clear(side).append(root);
  if (!path.startsWith("#/document")) side.scrollTop = 0;
  else {
    const mark = side.querySelector("mark.hl");
    if (mark) mark.scrollIntoView({ block: "center" });
  }
}

// The review page takes most of the width (the text and the list beside it); the
// graph keeps the rest and is told its size changed.
function setWide(wide) {
  const layout = document.querySelector(".layout");
  if (layout.classList.contains("wide") === wide) return;
  layout.classList.toggle("wide", wide);
  window.dispatchEvent(new Event("resize"));
}

function filterDrawer(meta) {
  const drawer = document.getElementById("filters");
  const types = meta.tie_types.filter((t) => t.count > 0);
  const typeBoxes = types.map((t) => {
    const box = h("input", { type: "checkbox", checked: true, value: t.name, dataset: { type: t.name } });
    box.addEventListener("change", () => {
      const on = typeBoxes.filter((b) => b.checked).map((b) => b.value);
      state.filters.types = on.length === typeBoxes.length ? null : new Set(on);
      filtersChanged();
    });
    return box;
  });
  const conf = h("input", { type: "range", min: 0, max: 1, step: 0.05, value: 0, id: "min-confidence" });
  const confLabel = h("span", { class: "value" }, "0.00");
  conf.addEventListener("input", () => {
    state.filters.min_confidence = Number(conf.value);
    confLabel.textContent = Number(conf.value).toFixed(2);
    filtersChanged();
  });
  const toggle = (key, label, id) => {
    const box = h("input", { type: "checkbox", checked: state.filters[key], id });
    box.addEventListener("change", () => {
      state.filters[key] = box.checked;
      filtersChanged();
    });
    return h("label", { class: "check" }, box, ` ${label}`);
  };
  const dateInput = (key, id) => {
    const input = h("input", { type: "date", id, min: meta.date_min || "", max: meta.date_max || "" });
    input.addEventListener("change", () => {
      state.filters[key] = input.value;
      filtersChanged();
    });
    return input;
  };
  // as-of slider: days from the first to the last dated source; the right end = everything
  const first = meta.date_min ? Date.parse(meta.date_min) : null;
  const last = meta.date_max ? Date.parse(meta.date_max) : null;
  const span = first !== null && last !== null ? Math.max(1, Math.round((last - first) / 86400000)) : 0;
  const asOf = h("input", { type: "range", min: 0, max: span + 1, step: 1, value: span + 1, id: "as-of", disabled: span === 0 && first === null });
  const asOfLabel = h("span", { class: "value", id: "as-of-label" }, "everything");
  asOf.addEventListener("input", () => {
    const v = Number(asOf.value);
    if (first === null || v > span) {
      state.filters.as_of = "";
      asOfLabel.textContent = "everything";
    } else {
      const day = new Date(first + v * 86400000).toISOString().slice(0, 10);
      state.filters.as_of = day;
      asOfLabel.textContent = day;
    }
    filtersChanged();
  });
  const measures = meta.measures.filter((m) => ["links", "degree", "betweenness", "pagerank", "eigenvector"].includes(m));
  const sizeBy = h("select", { id: "size-by" }, measures.map((m) => h("option", { value: m, selected: m === state.sizeBy }, m)));
  sizeBy.addEventListener("change", () => {
    state.sizeBy = sizeBy.value;
    graph.restyle();
  });
  const colourBy = h("select", { id: "colour-by" }, h("option", { value: "cell" }, "cell"), h("option", { value: "schema" }, "type of entity"));
  colourBy.addEventListener("change", () => {
    state.colourBy = colourBy.value;
    graph.restyle();
  });
  clear(drawer).append(
    h("div", { class: "filter-group" }, h("h4", {}, "Tie types"), h("div", { class: "type-list" }, types.map((t, k) => h("label", { class: "check type-check", title: t.meaning }, typeBoxes[k], h("span", { class: "swatch", style: { background: TYPE_COLOURS[t.name] || "#94a3b8" } }), ` ${typeLabel(t.name)}`, h("span", { class: "muted" }, ` ${t.count}`))))),
    h(
      "div",
      { class: "filter-group" },
      h("h4", {}, "Evidence"),
      h("label", { class: "slider" }, "min. confidence ", conf, confLabel),
      toggle("inferred", "inferred ties (dashed)", "f-inferred"),
      toggle("asserted", "analyst-asserted ties (dotted)", "f-asserted"),
      toggle("undated", "ties from undated sources", "f-undated"),
    ),
    h(
      "div",
      { class: "filter-group" },
      h("h4", {}, "Time"),
      h("label", { class: "slider" }, "as of ", asOf, asOfLabel),
      h("div", { class: "dates" }, h("label", {}, "first seen from ", dateInput("since", "f-since")), h("label", {}, "to ", dateInput("until", "f-until"))),
    ),
    h("div", { class: "filter-group" }, h("h4", {}, "Drawing"), h("label", {}, "colour by ", colourBy), h("label", {}, "size by ", sizeBy)),
  );
}

function analystBox() {
  const box = document.getElementById("analyst");
  box.value = state.analyst;
  box.addEventListener("change", () => setAnalyst(box.value));
  document.addEventListener("threadline:analyst", () => {
    box.value = state.analyst;
  });
}

async function boot() {
  state.meta = await api.get("/meta");
  // one set of defaults (threadline.analyze.defaults): inferred ties start as the analysis has them
  state.filters.inferred = Boolean((state.meta.defaults || {}).include_inferred);
  document.getElementById("ws-name").textContent = state.meta.workspace.split("/").filter(Boolean).pop() || "workspace";
  document.getElementById("ws-counts").textContent =
    `${state.meta.counts.entities.toLocaleString()} entities · ${state.meta.counts.ties.toLocaleString()} ties · ${state.meta.counts.documents.toLocaleString()} documents`;
  initSearch(document.getElementById("search"), document.getElementById("search-results"));
  analystBox();
  filterDrawer(state.meta);
  graph.initGraph(document.getElementById("graph-pane"), {
    onNode: (id) => {
      if (window.location.hash !== `#/entity/${encodeURIComponent(id)}`) window.location.hash = `#/entity/${encodeURIComponent(id)}`;
    },
    onEdge: (id) => {
      window.location.hash = `#/tie/${encodeURIComponent(id)}`;
    },
    onMenu: (x, y, target) =>
      contextMenu(x, y, target, async (body) => {
        await graph.corrected(target, body);
        const gone = [`#/entity/${encodeURIComponent(target.id)}`, `#/tie/${encodeURIComponent(target.id)}`];
        if (gone.includes(window.location.hash)) window.location.hash = "#/";
        window.dispatchEvent(new CustomEvent("threadline:changed"));
      }),
  });
  onFiltersChange(() => graph.applyFilters());
  document.getElementById("btn-overview").addEventListener("click", () => graph.showOverview(Number(document.getElementById("overview-size").value)));
  document.getElementById("btn-fit").addEventListener("click", () => graph.fit());
  document.getElementById("btn-layout").addEventListener("click", () => graph.relayout());
  document.getElementById("btn-filters").addEventListener("click", () => {
    const drawer = document.getElementById("filters");
    drawer.hidden = !drawer.hidden;
    document.getElementById("btn-filters").classList.toggle("on", !drawer.hidden);
  });
  window.addEventListener("hashchange", route);
  window.addEventListener("threadline:changed", async () => {
    state.meta = await api.get("/meta");
    route();
  });
  await route();
  if (graph.graphReady()) await graph.showOverview(Number(document.getElementById("overview-size").value));
  document.body.dataset.ready = "true";
}

boot().catch((error) => {
  clear(side).append(h("div", { class: "error-panel" }, h("h2", {}, "The workbench could not start"), h("p", {}, String(error.message || error))));
});
