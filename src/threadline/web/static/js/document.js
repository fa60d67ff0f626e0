// A stored document, its text exactly as the evidence offsets count it: names link
// to their entities, and the span a quote came from is highlighted and scrolled to.

import { api } from "./api.js";
import {
  badge,
  entityHref,
  fill,
  h,
} from "./dom.js";

const MUTED_SEGMENTS = new Set(["caption", "credit", "boilerplate", "comments", "comment"]);

export async function renderDocument(root, id, params) {
  const start = params.has("start") ? Number(params.get("start")) : null;
  const end = params.has("end") ? Number(params.get("end")) : null;
  const doc = await api.get(`/documents/${encodeURIComponent(id)}`, { start, end });
  document.title = `${doc.title || doc.id} · threadline`;
  const meta = [
    doc.outlet,
    doc.author,
    doc.published || "undated",
    doc.language ? doc.language.toUpperCase() : null,
    `${doc.text.length.toLocaleString()} characters`,
  ].filter(Boolean);
  fill(root,
    h(
      "header",
      { class: "doc-head" },
      h("div", { class: "kicker" }, badge("document", "doc")),
      h("h2", {}, doc.title || doc.id),
      h("div", { class: "muted" }, meta.join(" · ")),
      h("div", { class: "small" }, h("a", { class: "review-link", href: `#/review/${encodeURIComponent(doc.id)}` }, "Review every mention and tie (keyboard)")),
      h("div", { class: "muted small" }, "source: ", h("code", {}, doc.url || doc.source), " · sha256 ", h("code", {}, doc.sha256.slice(0, 16))),
      doc.highlight
        ? h("div", { class: "hl-note" }, `Highlighted: characters ${doc.highlight.start}–${doc.highlight.end}. `, h("a", { href: "#", onclick: (e) => { e.preventDefault(); scrollToMark(root); } }, "show"))
        : null,
    ),
    h("article", { class: "doc-text", id: "doc-text" }, textNodes(doc)),
  );
  scrollToMark(root);
}

function scrollToMark(root) {
  const mark = root.querySelector("mark.hl");
  if (mark) requestAnimationFrame(() => mark.scrollIntoView({ block: "center" }));
}

// Cut the text at every span, segment and highlight boundary; rebuild it from text
// nodes, entity links and <mark> (never from HTML).
function textNodes(doc) {
  const text = doc.text;
  const cuts = new Set([0, text.length]);
  const segments = doc.segments.length ? doc.segments : [{ start: 0, end: text.length, kind: "body" }];
  for (const s of segments) cuts.add(s.start).add(s.end);
  for (const s of doc.spans) cuts.add(s.start).add(s.end);
  const hl = doc.highlight;
  if (hl) cuts.add(hl.start).add(hl.end);
  const points = [...cuts].filter((p) => p >= 0 && p <= text.length).sort((a, b) => a - b);
  const spans = [...doc.spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const blocks = [];
  let block = null;
  let blockKind = null;
  let mark = null;
  let segIndex = 0;
  let spanIndex = 0;
  let marks = 0;
  const open = [];
  for (let k = 0; k + 1 < points.length; k++) {
    const a = points[k];
    const b = points[k + 1];
    if (a === b) continue;
    while (segIndex + 1 < segments.length && segments[segIndex].end <= a) segIndex++;
    const kind = segments[segIndex] ? segments[segIndex].kind : "body";
    if (!block || segments[segIndex] !== blockKind) {
      block = h("div", { class: `seg seg-${kind}${MUTED_SEGMENTS.has(kind) ? " seg-muted" : ""}`, dataset: { kind } });
      if (MUTED_SEGMENTS.has(kind) || kind === "title" || kind === "heading") block.append(h("span", { class: "seg-label" }, kind));
      blocks.push(block);
      blockKind = segments[segIndex];
      mark = null;
    }
    while (spanIndex < spans.length && spans[spanIndex].start <= a) open.push(spans[spanIndex++]);
    for (let i = open.length - 1; i >= 0; i--) if (open[i].end <= a) open.splice(i, 1);
    const covering = open.filter((s) => s.start <= a && s.end >= b);
    const piece = text.slice(a, b);
    let node = document.createTextNode(piece);
    if (covering.length) {
      const s = covering[covering.length - 1];
      node = h("a", { class: `name-span schema-${s.schema}`, href: entityHref(s.entity), title: s.name }, piece);
    }
    const inside = hl && a >= hl.start && b <= hl.end;
    if (inside) {
      if (!mark) {
        mark = h("mark", { class: "hl", id: marks === 0 ? "hl" : null });
        marks += 1;
        block.append(mark);
      }
      mark.append(node);
    } else {
      mark = null;
      block.append(node);
    }
  }
  return blocks;
}
