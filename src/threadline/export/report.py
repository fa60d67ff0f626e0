"""The self-contained HTML report: one file an analyst can open, print or send.

No CDN, no fonts, no network: the CSS and the (small, vanilla) JavaScript in
``report_assets/`` are inlined at render time, and document URLs are shown as
text, never as links, so opening the report never calls out. The network
picture is an inline SVG whose node positions are computed here, in Python, by
:func:`~threadline.export.graph_formats.layout_positions` with a fixed seed, so
the same export always renders the same file (and the picture works without
JavaScript); the script adds hover, selection, pan/zoom and filters on top.

Every string that comes from a document or an entity is escaped by Jinja2's
autoescape; the graph data handed to the script is JSON with ``<``, ``>`` and
``&`` written as ``\\u003c``-style escapes, so a name like ``</script>`` cannot
end the script element, and the script only ever writes text with
``textContent``.

Example::

    >>> html = render_report({"threadline_export": 1, "documents": [], "ties": [],
    ...     "entities": [{"id": "e1", "schema": "Person", "name": "Ann <b>Bell</b>"}]})
    >>> "Ann &lt;b&gt;Bell&lt;/b&gt;" in html and "<b>Bell" not in html
    True
"""

from __future__ import annotations

import json
import math
from collections import Counter, defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from threadline.export.graph_formats import community_colour, layout_positions
from threadline.model.vocabulary import TIE_TYPES

_ASSETS = Path(__file__).with_name("report_assets")
_WIDTH, _HEIGHT = 1000.0, 700.0
_KEY_COUNT = 10
_LABELLED_NODES = 15
_QUOTES_PER_TIE_IN_SCRIPT = 5

Row = dict[str, Any]


def render_report(
    export: dict[str, Any],
    *,
    title: str = "threadline report",
    generated_at: datetime | None = None,
    seed: int = 7,
) -> str:
    """Render the analysis export as one self-contained HTML page.

    ``generated_at`` defaults to now (UTC); pass it to make the output
    byte-for-byte reproducible. ``seed`` fixes the network layout.
    """
    when = (generated_at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    context = _report_context(export, seed=seed)
    env = jinja2.Environment(
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    template = env.from_string((_ASSETS / "report.html.j2").read_text(encoding="utf-8"))
    return template.render(
        title=title,
        generated=when,
        export_version=export.get("threadline_export"),
        css=Markup((_ASSETS / "report.css").read_text(encoding="utf-8")),
        script=Markup((_ASSETS / "report.js").read_text(encoding="utf-8")),
        **context,
    )


def script_json(data: Any) -> str:
    """JSON safe to place inside ``<script>``: no ``</``, ``<!--`` or ``]]>`` can appear."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026")):
        text = text.replace(raw, escaped)
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _metric(entity: Row, key: str, default: float = 0.0) -> float:
    value = (entity.get("metrics") or {}).get(key)
    return (
        float(value) if isinstance(value, int | float) and not isinstance(value, bool) else default
    )


def _report_context(export: dict[str, Any], *, seed: int) -> dict[str, Any]:
    documents = {d["id"]: d for d in export.get("documents", [])}
    entities = {e["id"]: e for e in export.get("entities", [])}
    ties = list(export.get("ties", []))
    claims = list(export.get("claims", []))

    tie_degree: Counter[str] = Counter()
    for tie in ties:
        tie_degree[tie["source"]] += 1
        tie_degree[tie["target"]] += 1

    def degree(entity: Row) -> float:
        return _metric(entity, "degree", float(tie_degree[entity["id"]]))

    def name(entity_id: str) -> str:
        return str(entities.get(entity_id, {}).get("name") or entity_id)

    def evidence_rows(items: list[Row] | None) -> list[Row]:
        rows = []
        for item in items or []:
            doc = documents.get(item.get("document", ""), {})
            rows.append({
                "quote": item.get("quote") or "",
                "doc_id": item.get("document", ""),
                "doc_title": doc.get("title") or item.get("document", ""),
                "doc_date": doc.get("published") or "",
                "row": item.get("row"),
                "hedged": bool(item.get("hedged")),
                "grade": item.get("grade") or "",
                "attributed_to": item.get("attributed_to") or "",
            })  # fmt: skip
        return rows

    def entity_row(entity: Row) -> Row:
        metrics = entity.get("metrics") or {}
        community = metrics.get("community")
        return {
            "id": entity["id"],
            "name": entity.get("name") or entity["id"],
            "schema": entity.get("schema", ""),
            "other_names": [n for n in entity.get("names", []) if n != entity.get("name")],
            "aliases": entity.get("aliases", []),
            "roles": entity.get("roles", []),
            "role": entity.get("role") or "",
            "degree": degree(entity),
            "betweenness": _metric(entity, "betweenness"),
            "community": int(community) if isinstance(community, int | float) else None,
            "colour": community_colour(community),
            "key_player": bool(metrics.get("key_player")),
            "watchlist": [
                f"{h.get('list', '?')} {h.get('entry_id', '')} {h.get('entry_name', '')}"
                f" (score {h.get('score', '?')})"
                for h in entity.get("watchlist_hits", [])
            ],
        }

    rows = [entity_row(e) for e in entities.values()]
    by_schema: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        by_schema[row["schema"]].append(row)
    actors = by_schema["Person"] + by_schema["Organization"]
    key = sorted(actors, key=lambda r: (-r["betweenness"], -r["degree"], r["name"]))[:_KEY_COUNT]

    tie_rows = [
        {
            "id": t["id"],
            "type": t.get("type", "other"),
            "source": t["source"],
            "source_name": name(t["source"]),
            "target": t["target"],
            "target_name": name(t["target"]),
            "detail": t.get("detail") or "",
            "confidence": None if t.get("confidence") is None else float(t["confidence"]),
            "hedged": bool(t.get("hedged")),
            "inferred": bool(t.get("inferred")),
            "evidence": evidence_rows(t.get("evidence")),
        }
        for t in ties
    ]
    order = list(TIE_TYPES) + sorted({t["type"] for t in tie_rows} - set(TIE_TYPES))
    ties_by_type = [
        {
            "type": kind,
            "meaning": TIE_TYPES[kind].meaning if kind in TIE_TYPES else "",
            "ties": [t for t in tie_rows if t["type"] == kind],
        }
        for kind in order
        if any(t["type"] == kind for t in tie_rows)
    ]

    conflicting = {c for conflict in export.get("conflicts", []) for c in conflict["claims"]}
    claim_rows = {
        c["id"]: {
            "id": c["id"],
            "subject": c.get("subject", ""),
            "subject_name": name(c.get("subject", "")),
            "quantity": c.get("quantity", ""),
            "value": c.get("value"),
            "qualifier": c.get("qualifier") or "",
            "unit": c.get("unit") or "",
            "hedged": bool(c.get("hedged")),
            "conflict": c["id"] in conflicting,
            "evidence": evidence_rows(
                [{**ev, "attributed_to": c.get("attributed_to")} for ev in c.get("evidence") or []]
            ),
        }
        for c in claims
    }
    events = _event_rows(by_schema["Event"], entities, ties, claim_rows.values(), name)
    event_ids = {e["id"] for e in events}
    conflicts = [
        {
            "subject_name": name(conflict.get("subject", "")),
            "quantity": conflict.get("quantity", ""),
            "claims": [claim_rows[c] for c in conflict["claims"] if c in claim_rows],
            "explanation": conflict.get("explanation", ""),
        }
        for conflict in export.get("conflicts", [])
    ]
    document_rows = sorted(
        (
            {
                "id": d["id"],
                "title": d.get("title") or d["id"],
                "published": d.get("published") or "",
                "outlet": d.get("outlet") or "",
                "author": d.get("author") or "",
                "source": d.get("url") or d.get("source") or "",
                "sha256": (d.get("sha256") or "")[:16],
                "grade": d.get("grade") or "",
            }
            for d in documents.values()
        ),
        key=lambda d: (d["published"] or "9999", d["title"]),
    )
    counts = {
        "documents": len(documents),
        "people": len(by_schema["Person"]),
        "groups": len(by_schema["Organization"]),
        "places": len(by_schema["Address"]),
        "events": len(by_schema["Event"]),
        "ties": len(ties),
        "claims": len(claims),
        "conflicts": len(conflicts),
    }
    return {
        "counts": counts,
        "key": key,
        "people": sorted(by_schema["Person"], key=lambda r: r["name"].casefold()),
        "groups": sorted(by_schema["Organization"], key=lambda r: r["name"].casefold()),
        "ties_by_type": ties_by_type,
        "tie_types": [{"type": g["type"], "count": len(g["ties"])} for g in ties_by_type],
        "events": events,
        "other_claims": [c for c in claim_rows.values() if c["subject"] not in event_ids],
        "conflicts": conflicts,
        "documents": document_rows,
        "graph": _graph_picture(export, rows, tie_rows, seed=seed),
    }


def _event_rows(
    events: list[Row],
    entities: dict[str, Row],
    ties: list[Row],
    claims: Any,
    name: Any,
) -> list[Row]:
    """Events in date order with their places, participants and claims."""
    participants: dict[str, list[str]] = defaultdict(list)
    places: dict[str, list[str]] = defaultdict(list)
    for tie in ties:
        if tie.get("type") == "participated_in":
            participants[tie["target"]].append(name(tie["source"]))
        elif tie.get("type") == "located_in":
            places[tie["source"]].append(name(tie["target"]))
    claims_by_subject: dict[str, list[Row]] = defaultdict(list)
    for claim in claims:
        claims_by_subject[claim["subject"]].append(claim)
    rows = []
    for event in events:
        raw = entities[event["id"]]
        where = [name(p) for p in raw.get("places", [])] + places[event["id"]]
        rows.append({
            **event,
            "date": raw.get("date") or "",
            "places": list(dict.fromkeys(where)),
            "participants": list(dict.fromkeys(participants[event["id"]])),
            "claims": claims_by_subject[event["id"]],
        })  # fmt: skip
    return sorted(rows, key=lambda e: (e["date"] or "9999", e["name"]))


def _graph_picture(
    export: dict[str, Any], rows: list[Row], tie_rows: list[Row], *, seed: int
) -> dict[str, Any]:
    """SVG geometry (nodes, curved parallel edges, trimmed arrows) and the script's data."""
    positions = layout_positions(export, seed=seed, width=_WIDTH, height=_HEIGHT)
    index = {row["id"]: i for i, row in enumerate(rows)}
    top = max((r["degree"] for r in rows), default=0.0) or 1.0
    ranked = sorted(rows, key=lambda r: (-r["degree"], r["name"]))[:_LABELLED_NODES]
    labelled = {r["id"] for r in ranked}
    nodes = []
    for i, row in enumerate(rows):
        x, y = positions[row["id"]]
        radius = round(4.0 + 10.0 * math.sqrt(row["degree"] / top), 1)
        nodes.append({
            **row, "i": i, "x": x, "y": y, "r": radius, "always": row["id"] in labelled,
            "label_x": round(x + radius + 2, 1), "label_y": round(y + 4, 1),
        })  # fmt: skip

    pairs: dict[tuple[str, str], list[int]] = defaultdict(list)
    drawable = [
        t for t in tie_rows if t["source"] in index and t["target"] in index
        and t["source"] != t["target"]
    ]  # fmt: skip
    for k, tie in enumerate(drawable):
        pairs[(min(tie["source"], tie["target"]), max(tie["source"], tie["target"]))].append(k)
    edges = []
    for k, tie in enumerate(drawable):
        pair = pairs[(min(tie["source"], tie["target"]), max(tie["source"], tie["target"]))]
        offset = (pair.index(k) - (len(pair) - 1) / 2) * 22.0
        if tie["source"] > tie["target"]:
            offset = -offset  # bow relative to the pair, not the tie's direction
        directed = TIE_TYPES[tie["type"]].directed if tie["type"] in TIE_TYPES else False
        target_r = nodes[index[tie["target"]]]["r"]
        path = _edge_path(
            positions[tie["source"]], positions[tie["target"]], offset, target_r if directed else 0
        )
        edges.append({**tie, "k": k, "d": path, "directed": directed})

    data = {
        "nodes": [
            {key: n[key] for key in ("id", "name", "schema", "other_names", "aliases", "roles",
                                     "role", "degree", "betweenness", "community", "watchlist")}
            | {"i": n["i"]}
            for n in nodes
        ],
        "edges": [
            {"id": e["id"], "type": e["type"], "detail": e["detail"],
             "confidence": e["confidence"], "hedged": e["hedged"], "inferred": e["inferred"],
             "s": index[e["source"]], "t": index[e["target"]],
             "evidence": e["evidence"][:_QUOTES_PER_TIE_IN_SCRIPT],
             "more": max(0, len(e["evidence"]) - _QUOTES_PER_TIE_IN_SCRIPT)}
            for e in edges
        ],
    }  # fmt: skip
    communities = sorted({n["community"] for n in nodes if n["community"] is not None})
    return {
        "width": int(_WIDTH),
        "height": int(_HEIGHT),
        "nodes": nodes,
        "edges": edges,
        "json": Markup(script_json(data)),
        "communities": [{"id": c, "colour": community_colour(c)} for c in communities[:20]],
    }


def _edge_path(
    start: tuple[float, float], end: tuple[float, float], offset: float, trim: float
) -> str:
    """An SVG path from start to end, bowed sideways by ``offset``, stopping ``trim``
    short of the end (room for an arrow head outside the target circle)."""
    (x1, y1), (x2, y2) = start, end
    length = math.hypot(x2 - x1, y2 - y1) or 1.0
    nx, ny = -(y2 - y1) / length, (x2 - x1) / length
    cx, cy = (x1 + x2) / 2 + nx * offset * 2, (y1 + y2) / 2 + ny * offset * 2
    if trim:
        fx, fy = (cx, cy) if offset else (x1, y1)
        span = math.hypot(x2 - fx, y2 - fy) or 1.0
        cut = min(trim + 2.0, span / 2)
        x2, y2 = x2 - (x2 - fx) / span * cut, y2 - (y2 - fy) / span * cut
    if not offset:
        return f"M{x1:.1f},{y1:.1f} L{x2:.1f},{y2:.1f}"
    return f"M{x1:.1f},{y1:.1f} Q{cx:.1f},{cy:.1f} {x2:.1f},{y2:.1f}"
