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

from markupsafe import Markup

from threadline.analyze import defaults
from threadline.analyze.keyplayers import key_player_set
from threadline.analyze.network import ViewOptions, build_network, network_view
from threadline.export.dossier import DossierIndex, evidence_rows, roles_of, template_env
from threadline.export.graph_formats import community_colour, layout_positions
from threadline.model import Entity, Tie
from threadline.model.vocabulary import TIE_TYPES

_ASSETS = Path(__file__).with_name("report_assets")
_WIDTH, _HEIGHT = 1000.0, 640.0
_LABELLED_NODES = 15
#: The network picture draws at most this many entities: the connected core, largest parts first.
_CORE_MAX = 150
#: Connected parts smaller than this are left out of the picture when a larger one exists.
_MIN_PART = 3
_TOP_PEOPLE = 10
_TOP_GROUPS = 5
_CELL_NAMES = 8
_NO_CELL_COLOUR = "#b8c0ca"
#: Rows shown before "show all" in each table (people, groups, ties of a type, ...).
_SHOWN = {"entities": 10, "ties": 10, "events": 5, "claims": 4, "conflicts": 3, "documents": 10,
          "cells": 8, "dossiers": 10}  # fmt: skip
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
    template = template_env().get_template("report.html.j2")
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


def key_player_answer(export: dict[str, Any], k: int = defaults.KEY_PLAYERS) -> dict[str, Any]:
    """The key-player set of ``threadline keyplayers`` (same defaults, same function,
    same check), computed on the export's people, groups and ties."""
    entities = [
        Entity(
            e["id"],
            e.get("schema", ""),
            e.get("name") or e["id"],
            [],
            [],
            [],
            data={"role": e["role"]} if e.get("role") else {},
        )
        for e in export.get("entities", [])
    ]
    ties = [
        Tie(t["id"], t.get("type", "other"), t["source"], t["target"], t.get("detail") or "",
            float(t.get("confidence") or 0.5), [], bool(t.get("hedged")), bool(t.get("inferred")))
        for t in export.get("ties", [])
    ]  # fmt: skip
    view = network_view(build_network(entities, ties), ViewOptions())
    return key_player_set(view, k)


def _report_context(export: dict[str, Any], *, seed: int) -> dict[str, Any]:
    index = DossierIndex(export)
    documents = index.documents
    entities = index.entities
    ties = list(export.get("ties", []))
    claims = list(export.get("claims", []))

    tie_degree: Counter[str] = Counter()
    for tie in ties:
        tie_degree[tie["source"]] += 1
        tie_degree[tie["target"]] += 1

    def degree(entity: Row) -> float:
        return _metric(entity, "degree", float(tie_degree[entity["id"]]))

    name = index.name

    def ev_rows(items: list[Row] | None) -> list[Row]:
        return evidence_rows(items, documents)

    # cells: a "cell" of one is no cell; only cells of two or more get their number shown
    cell_size: Counter[int] = Counter()
    for e in entities.values():
        c = (e.get("metrics") or {}).get("community")
        if isinstance(c, int | float) and not isinstance(c, bool):
            cell_size[int(c)] += 1
    answer = key_player_answer(export) if ties else None
    can_tell = bool(answer and answer["check"]["verdict"] == "clear")
    chosen = {m["id"] for m in answer["members"]} if answer and can_tell else set()

    def entity_row(entity: Row) -> Row:
        metrics = entity.get("metrics") or {}
        community = metrics.get("community")
        cell = int(community) if isinstance(community, int | float) else None
        if cell is not None and cell_size[cell] < 2:
            cell = None
        return {
            "id": entity["id"],
            "name": entity.get("name") or entity["id"],
            "schema": entity.get("schema", ""),
            "other_names": [n for n in entity.get("names", []) if n != entity.get("name")],
            "aliases": entity.get("aliases", []),
            "roles": roles_of(entity),
            "degree": degree(entity),
            "ties": tie_degree[entity["id"]],
            "betweenness": _metric(entity, "betweenness"),
            "documents": len(entity.get("documents") or []),
            "community": cell,
            "colour": community_colour(cell) if cell is not None else _NO_CELL_COLOUR,
            "key_player": entity["id"] in chosen,
            "watchlist": [
                f"{h.get('list', '?')} {h.get('entry_id', '')} {h.get('entry_name', '')}"
                f" (score {h.get('score', '?')})"
                for h in entity.get("watchlist_hits", [])
            ],
        }

    def relevance(r: Row) -> tuple[Any, ...]:
        return (not r["key_player"], -r["degree"], -r["betweenness"], -r["ties"],
                -r["documents"], r["name"].casefold())  # fmt: skip

    rows = [entity_row(e) for e in entities.values()]
    by_schema: dict[str, list[Row]] = defaultdict(list)
    for row in sorted(rows, key=relevance):
        by_schema[row["schema"]].append(row)
    people, groups = by_schema["Person"], by_schema["Organization"]
    # only actors with a stated tie to another actor: a group tied to a place alone is no lead
    top_people = [r for r in people if r["degree"] > 0][:_TOP_PEOPLE]
    top_groups = [r for r in groups if r["degree"] > 0][:_TOP_GROUPS]
    members = [
        {"id": m["id"], "name": m["name"], "roles": roles_of(entities.get(m["id"], {}))}
        for m in (answer["members"] if answer else [])
    ]

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
            "evidence": ev_rows(t.get("evidence")),
        }
        for t in ties
    ]
    order = list(TIE_TYPES) + sorted({t["type"] for t in tie_rows} - set(TIE_TYPES))
    ties_by_type = [
        {
            "type": kind,
            "meaning": TIE_TYPES[kind].meaning if kind in TIE_TYPES else "",
            "ties": sorted(
                (t for t in tie_rows if t["type"] == kind),
                key=lambda t: (
                    t["inferred"],
                    -len(t["evidence"]),
                    -(t["confidence"] or 0.0),
                    t["source_name"],
                    t["target_name"],
                ),
            ),  # fmt: skip
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
            "evidence": ev_rows(
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
    actors = people + groups
    cells = [
        {
            "id": c,
            "colour": community_colour(c),
            "size": size,
            "members": [r for r in actors if r["community"] == c][:_CELL_NAMES],
        }
        for c, size in sorted(cell_size.items(), key=lambda cs: (-cs[1], cs[0]))
        if size >= 2
    ]
    untied = [r for r in rows if r["ties"] == 0]
    untied_by_schema = Counter(r["schema"] for r in untied)
    counts = {
        "documents": len(documents),
        "people": len(people),
        "groups": len(groups),
        "places": len(by_schema["Address"]),
        "events": len(by_schema["Event"]),
        "ties": len(ties),
        "claims": len(claims),
        "conflicts": len(conflicts),
    }
    dossier_people = [r for r in people if r["ties"] > 0]
    graph = _graph_picture(rows, tie_rows, seed=seed)
    return {
        "counts": counts,
        "defaults": defaults.as_dict(),
        "key_answer": answer,
        "key_members": members,
        "can_tell": can_tell,
        "top_people": top_people,
        "top_groups": top_groups,
        "people": people,
        "groups": groups,
        "cells": cells,
        "lone_actors": sum(1 for r in actors if r["community"] is None),
        "untied": len(untied),
        "untied_by_schema": sorted(untied_by_schema.items(), key=lambda kv: (-kv[1], kv[0])),
        "ties_by_type": ties_by_type,
        "all_ties": sorted(
            tie_rows,
            key=lambda t: (
                t["inferred"],
                -len(t["evidence"]),
                -(t["confidence"] or 0.0),
                order.index(t["type"]),
                t["source_name"],
                t["target_name"],
            ),
        ),  # fmt: skip
        "tie_types": [{"type": g["type"], "count": len(g["ties"])} for g in ties_by_type],
        "events": events,
        "other_claims": [c for c in claim_rows.values() if c["subject"] not in event_ids],
        "conflicts": conflicts,
        "documents": document_rows,
        "dossiers": [index.dossier(r["id"]) for r in dossier_people],
        "graph": graph,
        "show": _SHOWN,
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


def _core(rows: list[Row], tie_rows: list[Row]) -> tuple[list[Row], int]:
    """The entities worth drawing: those in connected parts of three or more (of two when
    no part is larger), the largest parts first and, within a part, the most tied first,
    at most :data:`_CORE_MAX`; and how many entities are in parts of two or more."""
    known = {r["id"] for r in rows}
    parent = {i: i for i in known}

    def root(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for t in tie_rows:
        if t["source"] in known and t["target"] in known and t["source"] != t["target"]:
            parent[root(t["source"])] = root(t["target"])
    size = Counter(root(i) for i in known)
    tied = [r for r in rows if size[root(r["id"])] >= 2]
    # pairs tied only to each other crowd the picture's edge and squeeze the core: the
    # legend counts them; they are drawn only when no part has three or more
    if any(size[root(r["id"])] >= _MIN_PART for r in tied):
        tied = [r for r in tied if size[root(r["id"])] >= _MIN_PART]
    tied.sort(
        key=lambda r: (-size[root(r["id"])], root(r["id"]), -r["ties"], -r["degree"], r["name"])
    )
    return tied[:_CORE_MAX], sum(1 for r in rows if size[root(r["id"])] >= 2)


def _graph_picture(rows: list[Row], tie_rows: list[Row], *, seed: int) -> dict[str, Any]:
    """SVG geometry of the connected core (nodes, curved parallel edges, trimmed arrows)
    and the script's data; isolated entities are counted, not drawn."""
    core, in_parts = _core(rows, tie_rows)
    drawn = {r["id"] for r in core}
    drawable = [
        t for t in tie_rows if t["source"] in drawn and t["target"] in drawn
        and t["source"] != t["target"]
    ]  # fmt: skip
    positions = layout_positions(
        {"entities": [{"id": r["id"]} for r in core], "ties": drawable},
        seed=seed, width=_WIDTH, height=_HEIGHT,
    )  # fmt: skip
    rows = core
    index = {row["id"]: i for i, row in enumerate(rows)}
    top = max((r["degree"] for r in rows), default=0.0) or 1.0
    ranked = sorted(rows, key=lambda r: (-r["degree"], -r["ties"], r["name"]))[:_LABELLED_NODES]
    labelled = {r["id"] for r in ranked}
    nodes = []
    for i, row in enumerate(rows):
        x, y = positions[row["id"]]
        radius = round(4.0 + 10.0 * math.sqrt(max(row["degree"], 0.0) / top), 1)
        nodes.append({
            **row, "i": i, "x": x, "y": y, "r": radius, "always": row["id"] in labelled,
            "label_x": round(x + radius + 2, 1), "label_y": round(y + 4, 1),
        })  # fmt: skip

    pairs: dict[tuple[str, str], list[int]] = defaultdict(list)
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
    # a node whose every drawn tie is inferred starts hidden with them (the defaults)
    stated = {end for e in edges if not e["inferred"] for end in (e["source"], e["target"])}
    for node in nodes:
        node["off"] = not defaults.INCLUDE_INFERRED and node["id"] not in stated

    data = {
        "nodes": [
            {key: n[key] for key in ("id", "name", "schema", "other_names", "aliases", "roles",
                                     "degree", "betweenness", "community", "watchlist")}
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
        "drawn": len(nodes),
        "in_parts": in_parts,
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
