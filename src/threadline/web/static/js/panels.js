// The side panels other than entities and documents: overview, timeline, conflicts,
// key players and triage, the document list, one tie with every quote.

import { api } from "./api.js";
import {
  TYPE_COLOURS,
  qualifierText,
  badge,
  cellColour,
  clear,
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
import { tieCorrections } from "./corrections.js";
import { noteForm } from "./dialogs.js";
import * as graph from "./graph.js";
import { state } from "./state.js";

function entityLink(e) {
  return h("a", { href: entityHref(e.id), class: "entity-link" }, e.name);
}

export async function renderHome(root) {
  const meta = state.meta;
  const [players, conflicts, cells] = await Promise.all([
    api.get("/entities", { sort: "betweenness", limit: 10, schema: ["Person", "Organization"] }),
    api.get("/conflicts", { limit: 5 }),
    api.get("/cells", { limit: 6, members: 5 }),
  ]);
  const counts = meta.counts;
  const s = meta.schemata;
  fill(root,
    h(
      "header",
      { class: "entity-head" },
      h("div", { class: "kicker" }, badge("workspace", "doc")),
      h("h2", {}, "Overview"),
      h("div", { class: "muted" }, meta.workspace),
    ),
    h(
      "div",
      { class: "stats" },
      [
        ["documents", counts.documents],
        ["people", s.Person || 0],
        ["groups", s.Organization || 0],
        ["places", s.Address || 0],
        ["events", s.Event || 0],
        ["ties", counts.ties],
        ["claims", counts.claims],
      ].map(([label, n]) => h("div", { class: "stat" }, h("div", { class: "stat-n" }, (n || 0).toLocaleString()), h("div", { class: "stat-label" }, label))),
    ),
    section(
      "Most central people and groups",
      h("p", { class: "muted small" }, "By betweenness: who sits on the paths between others."),
      h("ol", { class: "ranked" }, players.items.map((e) => h("li", {}, entityLink(e), " ", schemaBadge(e.schema), h("span", { class: "muted small" }, ` ${e.links} links`)))),
    ),
    section(
      "Cells",
      cells.items.length
        ? h(
            "ul",
            { class: "plain" },
            cells.items.map((c) =>
              h(
                "li",
                {},
                h("span", { class: "cell-chip", style: { background: cellColour(c.id) } }, `cell ${c.id}`),
                ` ${plural(c.size, "member")} `,
                h("button", { class: "link small", title: "Draw this cell", onclick: () => graph.showCells([c.id], 500) }, "show"),
                ": ",
                c.members.map((m, k) => [k ? ", " : "", entityLink(m)]),
              ),
            ),
          )
        : empty("No cells: run threadline analyze."),
    ),
    section(
      `Where sources disagree (${conflicts.total})`,
      conflicts.items.length
        ? h("ul", { class: "plain" }, conflicts.items.map((c) => h("li", {}, h("a", { href: "#/conflicts" }, `${c.quantity} of ${c.subject.name}`), h("span", { class: "muted" }, `: ${c.values.join(" / ")}`))))
        : empty("No disagreements found."),
    ),
    section(
      "Start",
      h(
        "ul",
        { class: "plain small" },
        h("li", {}, "Type a name in the search box (aliases and spelling variants count)."),
        h("li", {}, "Click a node to open it and expand its neighbours; shift-click a second one for the path between them."),
        h("li", {}, "Hover a tie for its first quote; click it for every quote and the documents."),
      ),
    ),
  );
}

export async function renderTimeline(root) {
  const page = await api.get("/events", { limit: 500 });
  fill(root,
    h("header", { class: "entity-head" }, h("h2", {}, "Timeline"), h("div", { class: "muted" }, `${plural(page.total, "event")}, by date`)),
    page.items.length
      ? h(
          "ol",
          { class: "timeline" },
          page.items.map((ev) =>
            h(
              "li",
              { class: "tl-item" },
              h("div", { class: "tl-date" }, ev.date || "undated"),
              h(
                "div",
                { class: "tl-body" },
                h("div", { class: "tl-title" }, entityLink(ev.entity)),
                ev.places.length ? h("div", { class: "small" }, "at ", ev.places.map((p, k) => [k ? ", " : "", entityLink(p)])) : null,
                ev.participants.length
                  ? h("div", { class: "small" }, "involving ", ev.participants.map((p, k) => [k ? ", " : "", entityLink(p)]))
                  : null,
                ev.claims.length
                  ? h(
                      "ul",
                      { class: "plain small tl-claims" },
                      ev.claims.map((c) =>
                        h(
                          "li",
                          {},
                          h("strong", {}, `${c.quantity}: ${qualifierText(c.qualifier)}${c.value ?? c.value_text}`),
                          " ",
                          c.evidence[0] ? h("a", { class: "quote-link", href: documentHref(c.evidence[0].document, c.evidence[0].start, c.evidence[0].end) }, c.evidence[0].document_title || c.evidence[0].document) : null,
                        ),
                      ),
                    )
                  : null,
              ),
            ),
          ),
        )
      : empty("No events."),
  );
}

function claimCard(c) {
  const ev = c.evidence[0] || {};
  return h(
    "div",
    { class: "claim-card" },
    h("div", { class: "claim-value" }, `${qualifierText(c.qualifier)}${c.value ?? c.value_text}`),
    c.attributed_to ? h("div", { class: "small muted" }, `according to ${c.attributed_to}`) : null,
    h("blockquote", {}, ev.quote || ""),
    h(
      "div",
      { class: "source small" },
      h("a", { class: "quote-link", href: documentHref(ev.document, ev.start, ev.end) }, ev.document_title || ev.document),
      h("span", { class: "muted" }, ` · ${ev.published || "undated"}`),
      c.hedged ? badge("hedged", "hedged") : null,
    ),
  );
}

export async function renderConflicts(root) {
  const page = await api.get("/conflicts", { limit: 200 });
  fill(root,
    h("header", { class: "entity-head" }, h("h2", {}, "Where sources disagree"), h("div", { class: "muted" }, "Side by side, most consequential first. Nothing is averaged.")),
    page.items.length
      ? page.items.map((c) =>
          h(
            "section",
            { class: "block conflict" },
            h("h3", {}, `${c.quantity} of `, entityLink(c.subject), h("span", { class: "muted" }, ` — ${c.values.join(" / ")}`)),
            c.explanation ? h("p", { class: "small muted" }, c.explanation) : null,
            h("div", { class: "side-by-side" }, c.claims.map(claimCard)),
          ),
        )
      : empty("No disagreements found."),
  );
}

export async function renderPlayers(root) {
  const officers = h("input", { type: "number", min: 0, max: 100000, value: 100, id: "officers" });
  const perTarget = h("input", { type: "number", min: 1, max: 1000, value: 20, id: "per-target" });
  const mode = h("select", { id: "triage-mode" }, h("option", { value: "neg" }, "disrupt (fragment the network)"), h("option", { value: "pos" }, "cover (reach most of it)"));
  const out = h("div", { class: "triage-out" });
  const keyOut = h("div", {});
  const run = async () => {
    fill(clear(out), h("p", { class: "muted" }, "computing…"));
    try {
      const plan = await api.get("/triage", { officers: officers.value, per_target: perTarget.value, mode: mode.value });
      const ids = plan.targets.map((t) => t.entity.id).concat(plan.partial ? [plan.partial.entity.id] : []);
      await graph.ensureNodes(ids.slice(0, 12));
      const shown = graph.markEntities(ids, "targeted");
      fill(clear(out),
        h("p", { class: "small" }, `${plural(plan.targets.length, "full-time target")} with ${plan.officers} officers at ${plan.per_target} per target · ${plan.method}`),
        h(
          "ol",
          { class: "ranked" },
          plan.targets.map((t) => h("li", {}, entityLink(t.entity), " ", schemaBadge(t.entity.schema), h("span", { class: "muted small" }, ` ${t.officers} officers · contribution ${fmtNumber(t.contribution, 3)}`))),
          plan.partial ? h("li", { class: "partial" }, entityLink(plan.partial.entity), h("span", { class: "muted small" }, ` part-time: ${plan.partial.officers} officers`)) : null,
        ),
        plan.score !== null && plan.score !== undefined
          ? h("p", { class: "small muted" }, `Plan score ${fmtNumber(plan.score, 3)} against ${fmtNumber(plan.score_top_betweenness, 3)} for the same number of people taken by betweenness alone.`)
          : null,
        h("p", { class: "small muted" }, `${shown} of them marked on the graph (red double border). Inputs: ${plan.inputs}.`),
      );
    } catch (error) {
      fill(clear(out), h("p", { class: "error" }, String(error.message || error)));
    }
  };
  const loadKey = async () => {
    const k = (state.meta.defaults || {}).key_players || 3;
    const kp = await api.get("/key-players", { k });
    const ids = kp.items.map((r) => r.entity.id);
    if (kp.check && kp.check.verdict === "cannot_tell") {
      fill(clear(keyOut),
        h("p", { class: "cannot-tell" }, h("strong", {}, "Cannot tell. "), "The data cannot separate the options, so no key-player set is named."),
        h("ul", { class: "small muted" }, (kp.check.reasons || []).map((r) => h("li", {}, r))),
      );
      return;
    }
    const mark = async () => {
      await graph.ensureNodes(ids);
      graph.markEntities(ids, "targeted");
    };
    fill(clear(keyOut),
      h("div", { class: "block-tools" }, h("span", { class: "small muted" }, kp.method), h("button", { class: "small", onclick: mark }, "Mark on graph")),
      h("ol", { class: "ranked" }, kp.items.map((r) => h("li", {}, entityLink(r.entity), " ", schemaBadge(r.entity.schema), h("span", { class: "muted small" }, ` betweenness ${fmtNumber(r.measures.betweenness ?? 0, 3)} · ${r.entity.links} links`)))),
    );
  };
  const threshold = h("input", { type: "number", min: 1, max: 10, step: 1, value: 2, id: "threshold" });
  const exposedOut = h("div", {});
  const expose = async () => {
    fill(clear(exposedOut), h("p", { class: "muted" }, "simulating…"));
    try {
      const report = await api.get("/contagion", { threshold: threshold.value, runs: 100, limit: 15 });
      const ids = report.exposure.map((x) => x.id);
      graph.markEntities(ids, "exposed");
      fill(
        clear(exposedOut),
        h("p", { class: "small muted" }, `${report.model} · inferred, not a prediction · ${report.seeds.length} seeds (known members) · threshold ${report.threshold}`),
        report.exposure.length
          ? h("ol", { class: "ranked" }, report.exposure.map((x) => h("li", {}, h("a", { href: `#/entity/${encodeURIComponent(x.id)}` }, x.name), h("span", { class: "muted small" }, ` exposure ${fmtNumber(x.probability, 2)}`))))
          : h("p", { class: "muted small" }, "Nobody beyond the seeds is exposed at this threshold."),
      );
    } catch (error) {
      fill(clear(exposedOut), h("p", { class: "error" }, String(error.message || error)));
    }
  };
  fill(root,
    h("header", { class: "entity-head" }, h("h2", {}, "Key players and triage"), h("div", { class: "muted" }, "From documented ties and their evidence only — never nationality, religion or any personal attribute.")),
    section("Key players (Borgatti KPP-Neg)", keyOut),
    section(
      "Surveillance triage",
      h("p", { class: "small muted" }, "“It takes 20 men to monitor a terrorism suspect full-time.” Set the officers you have:"),
      h("div", { class: "form-row" }, h("label", {}, "Officers available", officers), h("label", {}, "Officers per target", perTarget), h("label", {}, "Aim", mode), h("button", { class: "primary", id: "run-triage", onclick: run }, "Choose targets")),
      out,
    ),
    section(
      "Contagion exposure (inferred)",
      h("p", { class: "small muted" }, "Complex contagion (Centola–Macy): a person adopts once enough of their contacts have. Exposure through documented ties, labelled inferred."),
      h("div", { class: "form-row" }, h("label", {}, "Contacts needed", threshold), h("button", { onclick: expose }, "Show exposure")),
      exposedOut,
    ),
  );
  await loadKey();
}

export async function renderDocuments(root) {
  const page = await api.get("/documents", { limit: 500 });
  fill(root,
    h("header", { class: "entity-head" }, h("h2", {}, "Documents"), h("div", { class: "muted" }, plural(page.total, "document"))),
    h(
      "ul",
      { class: "plain doc-list" },
      page.items.map((d) =>
        h(
          "li",
          {},
          h("a", { href: documentHref(d.id) }, d.title || d.id),
          " ",
          h("a", { class: "small review-link", href: `#/review/${encodeURIComponent(d.id)}`, "aria-label": `Review the mentions and ties of ${d.title || d.id}` }, "review"),
          h("div", { class: "muted small" }, `${d.published || "undated"}${d.outlet ? " · " + d.outlet : ""} · ${d.source}`),
        ),
      ),
    ),
  );
}

export async function renderTie(root, id) {
  const t = await api.get(`/ties/${encodeURIComponent(id)}`);
  fill(root,
    h(
      "header",
      { class: "entity-head" },
      h("div", { class: "kicker" }, h("span", { class: "swatch", style: { background: TYPE_COLOURS[t.type] || "#94a3b8" } }), badge(typeLabel(t.type), "type"), t.inferred ? badge("inferred", "inferred") : null, t.hedged ? badge("hedged", "hedged") : null, t.asserted ? badge("analyst", "asserted") : null),
      h("h2", { class: "tie-title" }, entityLink(t.source), h("span", { class: "muted" }, t.directed ? " → " : " — "), entityLink(t.target)),
      h("div", { class: "muted" }, t.detail ? `${t.detail} · ` : "", `confidence ${fmtNumber(t.confidence, 2)} `, confidenceBar(t.confidence), t.first_seen ? ` · first seen ${t.first_seen}` : ""),
    ),
    section(
      `Evidence (${t.evidence_total})`,
      h(
        "ul",
        { class: "evidence-list" },
        t.evidence.map((ev) =>
          h(
            "li",
            { class: `evidence ${ev.kind}` },
            h("blockquote", {}, ev.quote),
            ev.kind === "analyst"
              ? h("div", { class: "source small" }, badge("analyst", "asserted"), ` asserted by ${ev.analyst}`)
              : h("div", { class: "source small" }, h("a", { class: "quote-link", href: documentHref(ev.document, ev.start, ev.end) }, ev.document_title || ev.document), h("span", { class: "muted" }, ` · ${ev.published || "undated"} · characters ${ev.start}–${ev.end} · ${ev.extractor}`)),
          ),
        ),
      ),
    ),
    t.asserted ? null : section("Correct", tieCorrections(t)),
    section(
      "Analyst notes",
      t.notes.length ? h("ul", { class: "notes" }, t.notes.map((n) => h("li", { class: "note" }, h("div", { class: "note-text" }, n.text), h("div", { class: "muted small" }, `${n.analyst} · ${n.created_at.replace("T", " ").slice(0, 16)}`)))) : h("p", { class: "muted small" }, "No notes yet."),
      noteForm("tie", t.id),
    ),
  );
}
