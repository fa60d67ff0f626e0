// DOM building without HTML strings. Every string passed as a child becomes a text
// node, so text from documents (names, quotes, titles) can never become markup.

export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key.startsWith("on") && typeof value === "function") {
      el.addEventListener(key.slice(2), value);
    } else if (key === "style" && typeof value === "object") Object.assign(el.style, value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

// Append children to ``el``, skipping null / undefined / false (unlike Element.append).
export function fill(el, ...children) {
  return append(el, children);
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function link(href, ...children) {
  return h("a", { href }, ...children);
}

export function entityHref(id) {
  return `#/entity/${encodeURIComponent(id)}`;
}

export function documentHref(doc, start, end) {
  const span = start !== null && start !== undefined ? `?start=${start}&end=${end}` : "";
  return `#/document/${encodeURIComponent(doc)}${span}`;
}

export function schemaBadge(schema) {
  const label = { Person: "person", Organization: "group", Address: "place", Event: "event" };
  return h("span", { class: `badge schema-${schema}` }, label[schema] || schema);
}

export function badge(text, cls = "") {
  return h("span", { class: `badge ${cls}` }, text);
}

export function confidenceBar(value) {
  const pct = Math.round((value || 0) * 100);
  return h(
    "span",
    { class: "conf", title: `confidence ${pct}%` },
    h("span", { class: "conf-fill", style: { width: `${pct}%` } }),
  );
}

export function fmtNumber(value, digits = 3) {
  if (value === null || value === undefined) return "–";
  if (Number.isInteger(value)) return String(value);
  return Number(value).toFixed(digits);
}

export function plural(n, word, many) {
  return `${n} ${n === 1 ? word : many || word + "s"}`;
}

export function section(title, ...children) {
  return h("section", { class: "block" }, h("h3", {}, title), ...children);
}

export function empty(text) {
  return h("p", { class: "muted" }, text);
}

export function debounce(fn, ms) {
  let timer = null;
  return (...args) => {
    clearTimeout(timer);
    timer = setTimeout(() => fn(...args), ms);
  };
}

export const TYPE_COLOURS = {
  family: "#c2410c",
  associate: "#b45309",
  member_of: "#1d4ed8",
  leader_of: "#1e3a8a",
  recruited_by: "#7c3aed",
  communicated_with: "#0891b2",
  shared_residence: "#0f766e",
  travelled_with: "#15803d",
  participated_in: "#be123c",
  located_in: "#64748b",
  other: "#94a3b8",
};

export const CELL_COLOURS = [
  "#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2",
  "#db2777", "#65a30d", "#ea580c", "#4f46e5", "#0d9488", "#a16207",
];

export function cellColour(cell) {
  if (cell === null || cell === undefined) return "#9ca3af";
  return CELL_COLOURS[cell % CELL_COLOURS.length];
}

export function typeLabel(type) {
  return type.replaceAll("_", " ");
}

// "at least ", "about ", ... before a stated value; nothing for an exact one.
export function qualifierText(q) {
  return q && q !== "exact" && q !== "exactly" ? `${q} ` : "";
}
