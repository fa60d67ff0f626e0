// Page-wide state: the workspace's vocabulary (from /api/meta), the graph filters,
// and the analyst's name (kept in this browser only).

const listeners = new Set();

export const state = {
  meta: null,
  analyst: localStorage.getItem("threadline.analyst") || "",
  filters: {
    types: null, // null: every type; else a Set of the types shown
    min_confidence: 0,
    inferred: true,
    asserted: true,
    since: "",
    until: "",
    as_of: "", // "" = everything known
    undated: true,
  },
  colourBy: "cell",
  sizeBy: "links",
};

export function setAnalyst(name) {
  state.analyst = name.trim();
  localStorage.setItem("threadline.analyst", state.analyst);
}

export function onFiltersChange(fn) {
  listeners.add(fn);
}

export function filtersChanged() {
  for (const fn of listeners) fn(state.filters);
}

// Filters as query parameters of the API's graph and tie endpoints.
export function filterParams() {
  const f = state.filters;
  return {
    type: f.types ? [...f.types] : null,
    min_confidence: f.min_confidence || null,
    inferred: f.inferred ? "true" : "false",
    asserted: f.asserted ? null : "false",
    since: f.since || null,
    until: f.until || null,
    as_of: f.as_of || null,
    undated: f.undated ? null : "false",
  };
}

// The parameters of what the graph draws: as filterParams, but inferred ties are always
// fetched (and hidden on the page until the analyst ticks them), so that the switch,
// off as first opened like the analysis (threadline.analyze.defaults), shows them at once.
export function drawParams() {
  return { ...filterParams(), inferred: "true" };
}

// Whether an edge (graph data) passes the filters; mirrors the server's TieFilter.
export function edgeVisible(d) {
  const f = state.filters;
  if (f.types && !f.types.has(d.type)) return false;
  if (d.confidence < f.min_confidence - 1e-6) return false;
  if (!f.inferred && d.inferred) return false;
  if (!f.asserted && d.asserted) return false;
  const seen = d.first_seen;
  if (!seen) return f.undated;
  if (f.since && seen < f.since) return false;
  if (f.until && seen > f.until) return false;
  if (f.as_of && seen > f.as_of) return false;
  return true;
}
