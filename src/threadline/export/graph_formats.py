"""GraphML and GEXF exports of the network, for Gephi, yEd, Cytoscape and networkx.

Both are written by networkx's own writers so the files follow the published
schemas. The graph is a :class:`networkx.MultiGraph`: one edge per tie, never
aggregated, because two ties between the same people (brothers *and* travelled
together) carry different evidence. GraphML and GEXF readers cannot mix
directed and undirected edges, so the graph is undirected and each edge keeps
``tie_source``, ``tie_target`` and ``directed`` to say which way a directed tie
(``member_of``, ``recruited_by``) reads.

Attribute values are only str, int, float or bool (the formats have no null and
no list): lists are joined with ``"; "`` and a missing number leaves the
attribute out rather than inventing a zero. Characters that XML 1.0 forbids are
dropped, since names and quotes come from untrusted documents.

The GEXF file also carries ``viz`` colour (community), size (degree) and a
position from :func:`layout_positions`, so Gephi opens it looking like the
HTML report.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import igraph as ig
import networkx as nx

from threadline.model.vocabulary import TIE_TYPES

#: Colours for communities (colour-blind-friendly "Tableau 10"); index = community % 10.
COMMUNITY_PALETTE: tuple[str, ...] = (
    "#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
    "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
)  # fmt: skip
#: Colour of entities without a community.
NO_COMMUNITY_COLOUR = "#8c8c8c"

_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def community_colour(community: Any) -> str:
    """The hex colour of a community number (grey when there is none)."""
    if isinstance(community, bool) or not isinstance(community, int | float):
        return NO_COMMUNITY_COLOUR
    return COMMUNITY_PALETTE[int(community) % len(COMMUNITY_PALETTE)]


def xml_text(value: Any) -> str:
    """``value`` as text that XML 1.0 can hold (control characters removed)."""
    return _XML_ILLEGAL.sub("", str(value))


@contextmanager
def _seeded_python_random(seed: int) -> Iterator[None]:
    """Seed the ``random`` module (igraph's default RNG) and restore its state after."""
    state = random.getstate()
    random.seed(seed)
    try:
        yield
    finally:
        random.setstate(state)


def layout_positions(
    export: dict[str, Any],
    *,
    seed: int = 7,
    width: float = 1000.0,
    height: float = 700.0,
    margin: float = 40.0,
) -> dict[str, tuple[float, float]]:
    """Deterministic 2-D positions of every entity, fitted into ``width`` x ``height``.

    igraph's Fruchterman-Reingold layout, started from seeded positions with a
    seeded RNG: the same export always gives the same picture, so two reports of
    one case can be compared by eye and tests can pin the output.
    """
    ids = [e["id"] for e in export.get("entities", [])]
    index = {entity_id: i for i, entity_id in enumerate(ids)}
    for tie in export.get("ties", []):
        for end in (tie["source"], tie["target"]):
            if end not in index:
                index[end] = len(ids)
                ids.append(end)
    if not ids:
        return {}
    edges = [
        (index[t["source"]], index[t["target"]])
        for t in export.get("ties", [])
        if t["source"] != t["target"]
    ]
    graph = ig.Graph(n=len(ids), edges=edges)
    rng = random.Random(seed)
    spread = math.sqrt(len(ids))  # igraph's own start scale; a tight start makes FR crawl
    start = [[rng.uniform(-spread, spread), rng.uniform(-spread, spread)] for _ in ids]
    with _seeded_python_random(seed):
        coords = graph.layout_fruchterman_reingold(seed=start, niter=500).coords
    xs, ys = [c[0] for c in coords], [c[1] for c in coords]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    scale = min((width - 2 * margin) / span_x, (height - 2 * margin) / span_y)
    off_x = (width - scale * span_x) / 2 - scale * min(xs)
    off_y = (height - scale * span_y) / 2 - scale * min(ys)
    return {
        entity_id: (round(off_x + scale * x, 1), round(off_y + scale * y, 1))
        for entity_id, (x, y) in zip(ids, coords, strict=True)
    }


def _metric_types(entities: list[dict[str, Any]]) -> dict[str, type]:
    """One attribute type per metric, so every node declares it the same way."""
    seen: dict[str, set[type]] = {}
    for entity in entities:
        for key, value in (entity.get("metrics") or {}).items():
            if isinstance(value, bool | int | float | str):
                seen.setdefault(key, set()).add(type(value))
    types: dict[str, type] = {}
    for key, kinds in seen.items():
        if kinds == {bool}:
            types[key] = bool
        elif kinds == {int}:
            types[key] = int
        elif kinds <= {int, float}:
            types[key] = float
        else:
            types[key] = str
    return types


def _joined(values: Any) -> str:
    return xml_text("; ".join(str(v) for v in values or []))


def export_graph(export: dict[str, Any], *, with_viz: bool = False, seed: int = 7) -> nx.MultiGraph:
    """The export as a networkx MultiGraph: entities as nodes, ties as edges.

    Node attributes: ``label``, ``schema``, ``names``, ``aliases``, ``roles``,
    ``evidence_count``, ``watchlist_hits`` and every scalar metric (``degree``,
    ``betweenness``, ``community``...). Edge attributes: ``tie_id``, ``tie_type``,
    ``label``, ``detail``, ``confidence``, ``hedged``, ``inferred``, ``directed``,
    ``tie_source``, ``tie_target``, ``quote`` and ``document`` (the first
    evidence), ``document_id`` and ``evidence_count``.
    """
    entities = list(export.get("entities", []))
    titles = {d["id"]: d.get("title") or d["id"] for d in export.get("documents", [])}
    metric_types = _metric_types(entities)
    graph = nx.MultiGraph(name="threadline")
    for entity in entities:
        attrs: dict[str, Any] = {
            "label": xml_text(entity.get("name") or entity["id"]),
            "schema": xml_text(entity.get("schema", "")),
            "names": _joined(entity.get("names")),
            "aliases": _joined(entity.get("aliases")),
            "roles": _joined(entity.get("roles")),
            "evidence_count": len(entity.get("evidence") or []),
            "watchlist_hits": len(entity.get("watchlist_hits") or []),
        }
        for key, value in (entity.get("metrics") or {}).items():
            kind = metric_types.get(key)
            if kind is not None and value is not None:
                attrs[key] = xml_text(value) if kind is str else kind(value)
        graph.add_node(entity["id"], **attrs)

    if with_viz and entities:
        _add_viz(graph, export, seed=seed)

    for tie in export.get("ties", []):
        kind = tie.get("type", "other")
        evidence = tie.get("evidence") or []
        first = evidence[0] if evidence else {}
        attrs = {
            "tie_id": xml_text(tie["id"]),
            "tie_type": xml_text(kind),
            "label": xml_text(kind),
            "detail": xml_text(tie.get("detail") or ""),
            "hedged": bool(tie.get("hedged", False)),
            "inferred": bool(tie.get("inferred", False)),
            "directed": TIE_TYPES[kind].directed if kind in TIE_TYPES else False,
            "tie_source": xml_text(tie["source"]),
            "tie_target": xml_text(tie["target"]),
            "quote": xml_text(first.get("quote") or ""),
            "document": xml_text(titles.get(first.get("document", ""), "")),
            "document_id": xml_text(first.get("document", "")),
            "evidence_count": len(evidence),
        }
        if tie.get("confidence") is not None:
            attrs["confidence"] = float(tie["confidence"])
        graph.add_edge(tie["source"], tie["target"], key=tie["id"], **attrs)
    return graph


def _add_viz(graph: nx.MultiGraph, export: dict[str, Any], *, seed: int) -> None:
    """GEXF colour by community, size by degree, position from the report's layout."""
    positions = layout_positions(export, seed=seed)
    degrees = {
        e["id"]: float((e.get("metrics") or {}).get("degree") or 0.0)
        for e in export.get("entities", [])
    }
    top = max(degrees.values(), default=0.0) or 1.0
    for node, data in graph.nodes(data=True):
        colour = community_colour(data.get("community"))
        x, y = positions.get(node, (0.0, 0.0))
        data["viz"] = {
            "color": {
                "r": int(colour[1:3], 16),
                "g": int(colour[3:5], 16),
                "b": int(colour[5:7], 16),
                "a": 1.0,
            },
            "size": round(4.0 + 16.0 * math.sqrt(degrees.get(node, 0.0) / top), 2),
            "position": {"x": x, "y": -y, "z": 0.0},  # Gephi's y axis points up
        }


def to_graphml(export: dict[str, Any]) -> str:
    """The network as a GraphML document (edge ids are our tie ids).

    >>> xml = to_graphml({"threadline_export": 1, "entities": [
    ...     {"id": "e1", "schema": "Person", "name": "Ann Bell"}], "ties": []})
    >>> "Ann Bell" in xml
    True
    """
    graph = export_graph(export)
    return "\n".join(
        nx.generate_graphml(graph, named_key_ids=True, edge_id_from_attribute="tie_id")
    )


def to_gexf(export: dict[str, Any], *, seed: int = 7) -> str:
    """The network as a GEXF 1.2 document with colours, sizes and positions for Gephi."""
    graph = export_graph(export, with_viz=True, seed=seed)
    for _, _, data in graph.edges(data=True):
        data["id"] = data["tie_id"]  # GEXF takes the edge id from "id"
    return "\n".join(nx.generate_gexf(graph))
