// The entity page: names and aliases with where each was seen, roles, measures,
// events, ties grouped by type with their quotes (each a link to the document at
// the span), claims, watchlist hits, identity judgements and analyst notes.

import { api } from "./api.js";
import {
  TYPE_COLOURS,
  qualifierText,
  badge,
  cellColour,
  confidenceBar,
  documentHref,
  empty,
  entityHref,
  fill,
  fmtNumber,
  h,
  plural,
  schemaBadge,
  section,
  typeLabel,
} from "./dom.js";
import { entityCorrections } from "./corrections.js";
import { assertTieDialog, judgeDialog, noteForm, splitDialog, undoLast } from "./dialogs.js";
import * as graph from "./graph.js";
import { entityPicker } from "./search.js";
import { state } from "./state.js";

export async function renderEntity(root, id) {
  const [entity, ties] = await Promise.all([
    api.get(`/entities/${encodeURIComponent(id)}`),
    // every tie of the entity, inferred ones too (each carries its "inferred" badge)
    api.get(`/entities/${encodeURIComponent(id)}/ties`, { limit: 500, inferred: "true" }),
  ]);
  document.title = `${entity.name} · threadline`;
  fill(root,
    header(entity),
    actions(entity),
    namesBlock(entity),
    entity.role ? section("Role in the texts", h("div", { class: "chips" }, [badge(entity.role, "role")])) : null,
    entity.roles.length ? section("Roles", h("div", { class: "chips" }, entity.roles.map((r) => badge(r, "role")))) : null,
    measuresBlock(entity),
    entity.events.length ? eventsBlock(entity) : null,
    tiesBlock(entity, ties),
    entity.claims.length ? claimsBlock(entity) : null,
    entity.watchlist_hits.length ? watchlistBlock(entity) : null,
    identityBlock(entity),
    section("Correct", h("p", { class: "muted small" }, "When the machine got it wrong. Stored with your name, kept on every re-run, undone from the message or with threadline undo-correction."), entityCorrections(entity)),
    notesBlock(entity),
  );
}

function header(e) {
  const cell =
    e.cell !== null && e.cell !== undefined
      ? h("span", { class: "cell-chip", style: { background: cellColour(e.cell) } }, `cell ${e.cell}`)
      : null;
  return h(
    "header",
    { class: "entity-head" },
    h("div", { class: "kicker" }, schemaBadge(e.schema), cell),
    h("h2", { class: "entity-name" }, e.name),
    h(
      "div",
      { class: "muted" },
      linksText(e),
      ` · named in ${plural(e.documents.length, "document")} · `,
      h("code", { class: "id" }, e.id),
    ),
  );
}

// One degree everywhere (threadline.analyze.defaults): the stored degree counts the
// distinct people and groups with a stated tie; "linked" counts every entity any tie
// reaches (places, events, inferred ties too), so it is named apart, never "links".
function linksText(e) {
  const degree = (e.metrics || {}).degree;
  const meaning = ((state.meta || {}).defaults || {}).degree || "distinct people and groups with a stated tie";
  if (degree === undefined || degree === null) return plural(e.links, "linked entity", "linked entities");
  const all = e.links !== degree ? ` · ${e.links} linked in all (places, events, inferred ties too)` : "";
  return h("span", {}, h("span", { title: `degree: ${meaning}` }, `degree ${fmtNumber(degree)}`), all);
}

function actions(e) {
  const pathPicker = entityPicker({
    placeholder: "Path to… (type a name)",
    onPick: (other) => graph.highlightPath(e.id, other.id),
    schema: null,
  });
  return h(
    "div",
    { class: "actions" },
    h("button", { class: "primary", id: "show-in-graph", onclick: () => graph.showNeighbourhood(e.id, 1) }, "Show in graph"),
    h("button", { onclick: () => graph.showNeighbourhood(e.id, 2) }, "2 hops"),
    h("button", { onclick: () => graph.expand(e.id) }, "Expand"),
    h("div", { class: "path-picker" }, pathPicker),
  );
}

function seenLinks(seen, total) {
  const byDoc = new Map();
  for (const ev of seen) {
    if (!byDoc.has(ev.document)) byDoc.set(ev.document, []);
    byDoc.get(ev.document).push(ev);
  }
  const out = [];
  for (const [doc, items] of byDoc) {
    out.push(
      h(
        "span",
        { class: "seen-doc" },
        h("span", { class: "seen-title" }, items[0].document_title || doc),
        items.map((ev, k) =>
          h(
            "a",
            {
              class: "span-link",
              href: documentHref(ev.document, ev.start, ev.end),
              title: `characters ${ev.start}–${ev.end}`,
            },
            `${k + 1}`,
          ),
        ),
      ),
    );
  }
  if (total > seen.length) out.push(h("span", { class: "muted" }, ` +${total - seen.length} more`));
  return out;
}

function namesBlock(e) {
  const rows = [...e.names, ...e.aliases].map((n) =>
    h(
      "tr",
      { class: n.alias ? "alias-row" : "name-row" },
      h("td", { class: "name-cell" }, n.name),
      h("td", {}, n.alias ? badge("alias", "alias") : badge("name", "name")),
      h("td", { class: "seen" }, n.seen_total ? seenLinks(n.seen, n.seen_total) : h("span", { class: "muted" }, "—")),
    ),
  );
  return section(
    "Names and aliases",
    h("table", { class: "names" }, h("thead", {}, h("tr", {}, h("th", {}, "name"), h("th", {}, ""), h("th", {}, "seen in (click a number for the span)"))), h("tbody", {}, rows)),
  );
}

const MAIN_MEASURES = [
  "degree", "betweenness", "closeness", "harmonic", "pagerank", "eigenvector", "coreness",
  "constraint", "effective_size", "strength", "key_player", "community", "component",
];

function measuresBlock(e) {
  const keys = Object.keys(e.metrics);
  const main = MAIN_MEASURES.filter((k) => keys.includes(k));
  const rest = keys.filter((k) => !main.includes(k)).sort();
  if (!keys.length) return null;
  const grid = (names) =>
    h("dl", { class: "measures" }, names.map((k) => [h("dt", {}, k.replaceAll("_", " ")), h("dd", {}, fmtNumber(e.metrics[k]))]));
  return section(
    "Measures",
    grid(main.length ? main : rest),
    main.length && rest.length
      ? h("details", { class: "more-measures" }, h("summary", { class: "small muted" }, `per tie type (${rest.length})`), grid(rest))
      : null,
  );
}

function eventsBlock(e) {
  return section(
    "Events",
    h(
      "ul",
      { class: "plain" },
      e.events.map((ev) =>
        h(
          "li",
          {},
          h("span", { class: "date" }, ev.date || "undated"),
          " ",
          h("a", { href: entityHref(ev.entity.id) }, ev.entity.name),
          h("span", { class: "muted" }, ` · ${typeLabel(ev.role)}`),
        ),
      ),
    ),
  );
}

function evidenceItem(ev) {
  if (ev.kind === "analyst") {
    return h(
      "li",
      { class: "evidence analyst" },
      h("blockquote", {}, ev.quote),
      h("div", { class: "source" }, badge("analyst", "asserted"), ` asserted by ${ev.analyst}`, ev.created_at ? ` on ${ev.created_at.slice(0, 10)}` : ""),
    );
  }
  return h(
    "li",
    { class: "evidence" },
    h("blockquote", {}, ev.quote || h("span", { class: "muted" }, "(record row " + ev.row + ")")),
    h(
      "div",
      { class: "source" },
      h(
        "a",
        { class: "quote-link", href: documentHref(ev.document, ev.start, ev.end) },
        ev.document_title || ev.document,
      ),
      " ",
      h("a", { class: "small review-link", href: `#/review/${encodeURIComponent(ev.document)}`, title: "review every mention and tie of this document" }, "review"),
      ev.published ? h("span", { class: "muted" }, ` · ${ev.published}`) : null,
      h("span", { class: "muted" }, ` · ${ev.extractor} · ${fmtNumber(ev.confidence, 2)}`),
      ev.hedged ? badge("hedged", "hedged") : null,
    ),
  );
}

export function tieItem(t, selfId) {
  const outgoing = t.source.id === selfId;
  const other = outgoing ? t.target : t.source;
  const arrow = t.directed ? (outgoing ? "→" : "←") : "—";
  return h(
    "li",
    { class: "tie", dataset: { tie: t.id } },
    h(
      "div",
      { class: "tie-head" },
      h("span", { class: "arrow" }, arrow),
      h("a", { href: entityHref(other.id), class: "tie-other" }, other.name),
      schemaBadge(other.schema),
      t.detail ? h("span", { class: "detail" }, t.detail) : null,
      t.inferred ? badge("inferred", "inferred") : null,
      t.hedged ? badge("hedged", "hedged") : null,
      t.asserted ? badge("analyst", "asserted") : null,
      h(
        "span",
        { class: "tie-meta" },
        t.first_seen ? h("span", { class: "muted small" }, t.first_seen) : null,
        confidenceBar(t.confidence),
        h("a", { class: "small", href: `#/tie/${encodeURIComponent(t.id)}`, title: "every quote and notes" }, "details"),
      ),
    ),
    h("ul", { class: "evidence-list" }, t.evidence.slice(0, 3).map(evidenceItem)),
    t.evidence_total > 3
      ? h("a", { class: "small more", href: `#/tie/${encodeURIComponent(t.id)}` }, `${t.evidence_total - 3} more quotes`)
      : null,
    t.notes && t.notes.length ? h("div", { class: "small muted" }, plural(t.notes.length, "note")) : null,
  );
}

function tiesBlock(e, ties) {
  const meanings = new Map((state.meta ? state.meta.tie_types : []).map((t) => [t.name, t.meaning]));
  const groups = new Map();
  for (const t of ties.items) {
    if (!groups.has(t.type)) groups.set(t.type, []);
    groups.get(t.type).push(t);
  }
  const blocks = [];
  for (const [type, items] of groups) {
    blocks.push(
      h(
        "details",
        { class: "tie-group", open: true, dataset: { type } },
        h(
          "summary",
          {},
          h("span", { class: "swatch", style: { background: TYPE_COLOURS[type] || "#94a3b8" } }),
          h("span", { class: "group-name" }, typeLabel(type)),
          h("span", { class: "count" }, String(ties.by_type[type] || items.length)),
          h("span", { class: "muted small" }, meanings.get(type) || ""),
        ),
        h("ul", { class: "ties" }, items.map((t) => tieItem(t, e.id))),
      ),
    );
  }
  return section(
    `Ties (${ties.total})`,
    h("div", { class: "block-tools" }, h("button", { class: "small", onclick: () => assertTieDialog(e) }, "+ Assert a tie I know of")),
    blocks.length ? blocks : empty("No ties."),
    ties.next_offset ? h("p", { class: "muted" }, `Showing ${ties.items.length} of ${ties.total}.`) : null,
  );
}

function claimsBlock(e) {
  return section(
    "Claims",
    h(
      "ul",
      { class: "plain" },
      e.claims.map((c) =>
        h(
          "li",
          { class: "claim" },
          h("strong", {}, `${c.quantity}: ${qualifierText(c.qualifier)}${c.value ?? c.value_text}`),
          c.attributed_to ? h("span", { class: "muted" }, ` (according to ${c.attributed_to})`) : null,
          h("ul", { class: "evidence-list" }, c.evidence.map(evidenceItem)),
        ),
      ),
    ),
  );
}

function watchlistBlock(e) {
  return section(
    "Watchlist hits",
    h(
      "ul",
      { class: "plain" },
      e.watchlist_hits.map((w) =>
        h("li", {}, h("strong", {}, `${w.list || "list"} ${w.entry_id || ""}`), ` ${w.entry_name || ""}`, h("span", { class: "muted" }, ` · matched “${w.matched_name || ""}” · score ${w.score ?? "?"}${w.why ? " · " + w.why : ""}`)),
      ),
    ),
  );
}

function identityBlock(e) {
  const enabled = state.meta && state.meta.features.judgements;
  const tools = enabled
    ? h(
        "div",
        { class: "block-tools" },
        h("button", { class: "small", id: "judge-same", onclick: () => judgeDialog(e) }, "Same as / not same as…"),
        h("button", { class: "small", onclick: () => splitDialog(e) }, "Split…"),
        h("button", { class: "small", onclick: () => undoLast() }, "Undo last judgement"),
      )
    : h("p", { class: "muted small" }, "Merge, split and undo need the judgements library, which this installation lacks.");
  const list = e.judgements.length
    ? h("ul", { class: "plain" }, e.judgements.map((j) => h("li", { class: "small" }, j.text, j.reason ? h("span", { class: "muted" }, ` — ${j.reason}`) : null)))
    : h("p", { class: "muted small" }, "No judgements on this entity.");
  return section("Identity", tools, list);
}

function notesBlock(e) {
  const list = e.notes.length
    ? h(
        "ul",
        { class: "notes" },
        e.notes.map((n) => h("li", { class: "note" }, h("div", { class: "note-text" }, n.text), h("div", { class: "muted small" }, `${n.analyst} · ${n.created_at.replace("T", " ").slice(0, 16)}`))),
      )
    : h("p", { class: "muted small" }, "No notes yet.");
  return section("Analyst notes", list, noteForm("entity", e.id));
}
