// The per-document review (issue 18): the document's text with every mention marked
// and, beside it, every mention and tie it states, in reading order. The analyst
// walks them with the keyboard, like `threadline review` in the terminal:
//   j / ↓ next, k / ↑ previous, a or Enter accept (and go on), x reject,
//   p / o / l / e: the name is a person / group / place / event,
//   t choose the tie's type, r reverse the tie, X (shift) the whole entity is not one,
//   u undo the last correction, ? help.
// A tie is corrected in this document only (its statements here; "document" in the
// request): the tie card and the graph correct every statement.
// Each correction is POST /api/corrections; the page then reads the review again and
// redraws the text and the list in place (no reload), keeping the place.

import { api } from "./api.js";
import { correct, describe, SCHEMA_NAMES, undoCorrection } from "./corrections.js";
import { badge, clear, entityHref, fill, h, plural, schemaBadge, typeLabel } from "./dom.js";
import { state } from "./state.js";

const KEYS = [
  ["j / ↓", "next"],
  ["k / ↑", "previous"],
  ["a / Enter", "accept and go on"],
  ["x", "reject: not a name / this document does not state this tie"],
  ["X", "the whole entity is not one"],
  ["p o l e", "the name is a person / group / place / event"],
  ["t", "choose the tie's type here (then Enter)"],
  ["r", "reverse the tie's direction here"],
  ["u", "undo the last correction"],
  ["?", "this help"],
];

// The page's state while it is open (one review at a time).
let current = null;

export async function renderReview(root, id) {
  const data = await api.get(`/documents/${encodeURIComponent(id)}/review`);
  document.title = `Review: ${data.title || data.id} · threadline`;
  const status = h("p", { class: "review-status", id: "review-status", role: "status", "aria-live": "polite" });
  const help = h(
    "div",
    { class: "review-help", id: "review-help", hidden: true },
    h("h4", {}, "Keys"),
    h("dl", { class: "keys" }, KEYS.map(([k, what]) => [h("dt", {}, h("kbd", {}, k)), h("dd", {}, what)])),
  );
  const counts = h("div", { class: "muted", id: "review-counts" });
  const text = h("article", { class: "doc-text review-text", id: "review-text", "aria-label": "Document text" });
  const list = h("ol", { class: "review-list", id: "review-list", "aria-label": "Mentions and ties, in reading order" });
  const view = h(
    "div",
    { class: "review", dataset: { document: data.id } },
    h(
      "header",
      { class: "doc-head" },
      h("div", { class: "kicker" }, badge("review", "doc")),
      h("h2", {}, data.title || data.id),
      counts,
      h(
        "div",
        { class: "review-tools" },
        h("a", { href: `#/document/${encodeURIComponent(data.id)}` }, "Read the document"),
        h("button", { class: "small", id: "review-help-button", "aria-expanded": "false", "aria-controls": "review-help", onclick: () => toggleHelp() }, "Keys (?)"),
        state.analyst ? h("span", { class: "muted small" }, `corrections are stored as ${state.analyst}`) : h("span", { class: "muted small" }, "Type your name in the Analyst box: it is stored with each correction."),
      ),
      help,
      status,
    ),
    h("div", { class: "review-grid" }, text, h("div", { class: "review-side" }, list)),
  );
  current = { id: data.id, data, view, text, list, status, help, counts, items: [], pieces: [], at: 0, accepted: new Set(), undo: [], busy: false };
  draw();
  fill(root, view);
  requestAnimationFrame(() => focusItem(current.at, { scroll: false }));
}

function itemsOf(data) {
  const items = [
    ...data.mentions.map((m) => ({ kind: "mention", key: `m:${m.id}`, pos: m.start, order: 0, m })),
    ...data.ties.map((t) => ({ kind: "tie", key: `t:${t.id}:${t.start}`, pos: t.end, order: 1, t })),
  ];
  items.sort((a, b) => a.pos - b.pos || a.order - b.order);
  return items;
}

function draw() {
  const c = current;
  c.items = itemsOf(c.data);
  if (c.at >= c.items.length) c.at = Math.max(0, c.items.length - 1);
  const fixed = c.items.filter((it) => fixesOf(it).length).length;
  c.counts.textContent = `${plural(c.data.mentions.length, "mention")} · ${plural(c.data.ties.length, "tie")} · ${fixed} corrected${c.data.corrections.length ? ` · ${c.data.corrections.length} more about this text` : ""}`;
  const textScroll = c.text.scrollTop;
  const listScroll = c.list.parentElement ? c.list.parentElement.scrollTop : 0;
  fill(clear(c.text), textPieces(c));
  fill(clear(c.list), c.items.map((it, k) => row(it, k)), unplacedRows(c.data.corrections));
  c.text.scrollTop = textScroll;
  if (c.list.parentElement) c.list.parentElement.scrollTop = listScroll;
  mark();
}

// The text cut at every mention boundary; each piece inside a mention is a <mark>
// for the innermost one (a click selects it in the list).
function textPieces(c) {
  const text = c.data.text;
  const mentions = c.items.map((it, k) => [it, k]).filter(([it]) => it.kind === "mention");
  const cuts = new Set([0, text.length]);
  for (const [it] of mentions) cuts.add(it.m.start).add(it.m.end);
  for (const t of c.data.ties) cuts.add(t.start).add(t.end);
  const points = [...cuts].filter((p) => p >= 0 && p <= text.length).sort((a, b) => a - b);
  c.pieces = [];
  const out = [];
  for (let k = 0; k + 1 < points.length; k++) {
    const a = points[k];
    const b = points[k + 1];
    let inner = null;
    for (const [it, index] of mentions) {
      if (it.m.start <= a && it.m.end >= b && (!inner || it.m.end - it.m.start < inner[0].m.end - inner[0].m.start)) inner = [it, index];
    }
    const piece = text.slice(a, b);
    let el;
    if (inner) {
      const [it, index] = inner;
      const rejected = fixesOf(it).some((f) => f.kind === "reject_mention" || f.kind === "reject_entity");
      el = h("mark", { class: `m schema-${it.m.schema}${rejected || !it.m.entity ? " unheld" : ""}`, dataset: { index: String(index) }, title: it.m.name || "no entity holds this name" }, piece);
      el.addEventListener("click", () => focusItem(index));
    } else {
      el = h("span", {}, piece);
    }
    c.pieces.push({ el, a, b });
    out.push(el);
  }
  return out;
}

function fixesOf(it) {
  return (it.m || it.t).corrections || [];
}

// The correction u undoes on this item: the latest in force.
function lastFix(it) {
  const fixes = fixesOf(it);
  return fixes.length ? fixes[fixes.length - 1] : null;
}

function correctionChip(c) {
  if (!c) return null;
  const dormant = c.status === "dormant";
  return h("span", { class: `badge fix${dormant ? " dormant" : ""}`, title: c.user ? `by ${c.user}${c.reason ? ": " + c.reason : ""}` : "" }, `${describe(c)}${dormant ? " (dormant)" : ""}`);
}

function row(it, k) {
  const c = current;
  const accepted = c.accepted.has(it.key);
  if (it.kind === "mention") {
    const m = it.m;
    const fix = lastFix(it);
    return h(
      "li",
      { class: `review-item mention${fix ? " corrected" : ""}${accepted ? " accepted" : ""}`, tabindex: "-1", dataset: { index: String(k), kind: "mention", mention: m.id }, "aria-label": `Name ${m.text}, ${m.schema}`, onclick: (e) => onRowClick(e, k) },
      h(
        "div",
        { class: "item-head" },
        schemaBadge(m.schema),
        h("span", { class: "item-text" }, `“${m.text}”`),
        m.entity ? h("a", { class: "small", href: entityHref(m.entity), title: "the entity" }, m.name) : h("span", { class: "muted small" }, "no entity"),
        fixesOf(it).map(correctionChip),
        accepted ? badge("accepted", "ok") : null,
      ),
      h(
        "div",
        { class: "item-actions" },
        button("x", "Reject", `Not a name: “${m.text}”`, () => act(k, "x")),
        SCHEMA_NAMES.map(([schema, label, key]) => button(key, label, `“${m.text}” is a ${label}`, () => act(k, key), schema === m.schema && !fix)),
        fix ? button("u", "Undo", `Undo: ${describe(fix)}`, () => undo(fix.id)) : null,
      ),
    );
  }
  const t = it.t;
  const fix = lastFix(it);
  const arrow = t.directed ? "→" : "—";
  const types = (state.meta ? state.meta.tie_types : []).map((x) => h("option", { value: x.name, selected: x.name === t.type }, typeLabel(x.name)));
  const select = h("select", { class: "tie-type", "aria-label": "Tie type", onkeydown: (e) => onSelectKey(e, k) }, types);
  return h(
    "li",
    { class: `review-item tie${fix ? " corrected" : ""}${accepted ? " accepted" : ""}${t.inferred ? " inferred" : ""}`, tabindex: "-1", dataset: { index: String(k), kind: "tie", tie: t.id }, "aria-label": `Tie ${t.source.name} ${typeLabel(t.type)} ${t.target.name}`, onclick: (e) => onRowClick(e, k) },
    h(
      "div",
      { class: "item-head" },
      badge(typeLabel(t.type), "type"),
      h("span", { class: "item-text" }, t.source.name, h("span", { class: "muted" }, ` ${arrow} `), t.target.name),
      t.detail ? h("span", { class: "detail" }, t.detail) : null,
      t.inferred ? badge("inferred", "inferred") : null,
      t.hedged ? badge("hedged", "hedged") : null,
      fixesOf(it).map(correctionChip),
      accepted ? badge("accepted", "ok") : null,
    ),
    h("blockquote", { class: "small" }, t.quote),
    h(
      "div",
      { class: "item-actions" },
      button("x", "Reject", "Not this tie", () => act(k, "x")),
      h("label", { class: "small" }, "type ", select),
      button("Enter", "Retype", "Retype the tie to the chosen type", () => retype(k, select.value, false)),
      button("r", "Reverse", "Reverse the tie's direction", () => act(k, "r")),
      fix ? button("u", "Undo", `Undo: ${describe(fix)}`, () => undo(fix.id)) : null,
    ),
  );
}

function unplacedRows(corrections) {
  if (!corrections.length) return null;
  return [
    h("li", { class: "list-note muted small" }, "Corrections about this document that sit on nothing listed above (a rejected tie, a dormant one):"),
    corrections.map((c) => h("li", { class: "review-item unplaced", dataset: { correction: String(c.id) } }, correctionChip(c), c.text ? h("span", { class: "small" }, ` ${c.text}`) : null, " ", button("u", "Undo", `Undo: ${describe(c)}`, () => undo(c.id)))),
  ];
}

function button(key, label, title, onclick, disabled = false) {
  return h("button", { type: "button", class: "small", title: `${title} (${key})`, "aria-label": title, "aria-keyshortcuts": key.length === 1 ? key : null, disabled, onclick: (e) => { e.stopPropagation(); onclick(); } }, label);
}

function onRowClick(event, k) {
  if (event.target.closest("a, button, select, label")) return;
  focusItem(k);
}

function onSelectKey(event, k) {
  if (event.key === "Enter") {
    event.preventDefault();
    event.stopPropagation();
    retype(k, event.target.value, false);
  } else if (event.key === "Escape") {
    event.stopPropagation();
    focusItem(k);
  }
}

function focusItem(k, { scroll = true } = {}) {
  const c = current;
  if (!c || !c.items.length) return;
  c.at = Math.max(0, Math.min(k, c.items.length - 1));
  mark();
  const el = c.list.querySelector(`li[data-index="${c.at}"]`);
  if (el) {
    el.focus({ preventScroll: true });
    if (scroll) el.scrollIntoView({ block: "nearest" });
  }
  const first = c.text.querySelector(".sel, .in-sentence");
  if (first && scroll) first.scrollIntoView({ block: "nearest" });
}

// Show the selected item in the text: its name, or the tie's sentence and both ends.
function mark() {
  const c = current;
  const it = c.items[c.at];
  for (const li of c.list.querySelectorAll("li.current")) {
    li.classList.remove("current");
    li.removeAttribute("aria-current");
  }
  const li = c.list.querySelector(`li[data-index="${c.at}"]`);
  if (li) {
    li.classList.add("current");
    li.setAttribute("aria-current", "true");
  }
  const spans = [];
  let sentence = null;
  if (it && it.kind === "mention") spans.push([it.m.start, it.m.end]);
  if (it && it.kind === "tie") {
    sentence = [it.t.start, it.t.end];
    for (const end of [it.t.source, it.t.target]) if (end.start !== null && end.start !== undefined) spans.push([end.start, end.end]);
  }
  for (const p of c.pieces) {
    p.el.classList.toggle("sel", spans.some(([a, b]) => p.a >= a && p.b <= b));
    p.el.classList.toggle("in-sentence", Boolean(sentence) && p.a >= sentence[0] && p.b <= sentence[1]);
  }
}

function say(text, error = false) {
  current.status.textContent = text;
  current.status.classList.toggle("error", error);
}

function toggleHelp(show) {
  const c = current;
  c.help.hidden = show === undefined ? !c.help.hidden : !show;
  c.view.querySelector("#review-help-button").setAttribute("aria-expanded", String(!c.help.hidden));
}

// Where an item sits in the text, so that the selection stays on it after a correction
// (a retyped tie gets a new id and may move in the list; its sentence and names stay).
function placeOf(it) {
  if (!it) return null;
  if (it.kind === "mention") return `m:${it.m.id}`;
  const ends = [it.t.source.start, it.t.target.start].sort((a, b) => (a ?? -1) - (b ?? -1));
  return `t:${it.t.start}:${it.t.end}:${ends.join(",")}`;
}

async function reload() {
  const c = current;
  const place = placeOf(c.items[c.at]);
  const data = await api.get(`/documents/${encodeURIComponent(c.id)}/review`);
  if (current !== c) return;
  c.data = data;
  c.items = itemsOf(data);
  const found = c.items.findIndex((it) => placeOf(it) === place);
  if (found >= 0) c.at = found;
  draw();
  focusItem(c.at, { scroll: false });
}

async function send(body, message) {
  const c = current;
  if (c.busy) return;
  c.busy = true;
  const started = performance.now();
  try {
    const result = await correct(body);
    c.undo.push(result.id);
    await reload();
    const ms = Math.round(performance.now() - started);
    window.threadline.lastReviewAction = { kind: body.kind, ms, status: result.status };
    say(`${message}${result.status === "dormant" ? " (dormant: nothing in the texts carries it now)" : ""} · u to undo`);
  } catch (error) {
    say(String(error.message || error), true);
  } finally {
    c.busy = false;
  }
}

async function undo(id) {
  const c = current;
  if (c.busy) return;
  const target = id ?? c.undo.pop();
  if (target === undefined) {
    const it = c.items[c.at];
    const fix = it && lastFix(it);
    if (!fix) {
      say("nothing to undo here", true);
      return;
    }
    return undo(fix.id);
  }
  c.busy = true;
  const started = performance.now();
  try {
    await undoCorrection(target);
    c.undo = c.undo.filter((x) => x !== target);
    await reload();
    window.threadline.lastReviewAction = { kind: "undo", ms: Math.round(performance.now() - started) };
    say("undone");
  } catch (error) {
    say(String(error.message || error), true);
  } finally {
    c.busy = false;
  }
}

function retype(k, type, reverse) {
  const it = current.items[k];
  if (!it || it.kind !== "tie") return;
  current.at = k;
  return send({ kind: "retype_tie", tie: it.t.id, type, reverse, document: current.id }, `tie is now ${typeLabel(type)}${reverse ? ", reversed" : ""}`);
}

function act(k, key) {
  const c = current;
  const it = c.items[k];
  if (!it) return;
  c.at = k;
  const schemaOf = Object.fromEntries(SCHEMA_NAMES.map(([schema, label, letter]) => [letter, [schema, label]]));
  if (it.kind === "mention") {
    const m = it.m;
    if (key === "x") return send({ kind: "reject_mention", mention: m.id }, `“${m.text}” is not a name`);
    if (key === "X") {
      if (!m.entity) return say("no entity holds this name", true);
      return send({ kind: "reject_entity", entity: m.entity }, `“${m.name}” is not an entity`);
    }
    if (schemaOf[key]) {
      const [schema, label] = schemaOf[key];
      return send({ kind: "set_mention_schema", mention: m.id, schema }, `“${m.text}” is a ${label}`);
    }
    return say(`${key}: on a name use x, X or p / o / l / e`, true);
  }
  const t = it.t;
  if (key === "x") return send({ kind: "reject_tie", tie: t.id, document: c.id }, "tie rejected in this document");
  if (key === "r") return retype(k, t.type, true);
  if (key === "t") {
    const select = c.list.querySelector(`li[data-index="${k}"] select.tie-type`);
    if (select) select.focus();
    return;
  }
  return say(`${key}: on a tie use x, t (then Enter) or r`, true);
}

function accept() {
  const c = current;
  const it = c.items[c.at];
  if (!it) return;
  c.accepted.add(it.key);
  const at = c.at;
  draw();
  focusItem(at + 1);
}

document.addEventListener("keydown", (event) => {
  if (!current || !current.view.isConnected) return;
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const tag = event.target && event.target.tagName;
  if (["INPUT", "TEXTAREA", "SELECT"].includes(tag) || (event.target && event.target.isContentEditable)) return;
  if (document.querySelector("dialog[open]")) return;
  const c = current;
  const key = event.key;
  if (key === "j" || key === "ArrowDown") focusItem(c.at + 1);
  else if (key === "k" || key === "ArrowUp") focusItem(c.at - 1);
  else if (key === "Home") focusItem(0);
  else if (key === "End") focusItem(c.items.length - 1);
  else if (key === "a" || (key === "Enter" && tag !== "BUTTON" && tag !== "A")) accept();
  else if (key === "u") undo();
  else if (key === "?") toggleHelp();
  else if (key === "Escape") toggleHelp(false);
  else if (["x", "X", "p", "o", "l", "e", "t", "r"].includes(key)) act(c.at, key);
  else return;
  event.preventDefault();
});
