"""GraphML and GEXF: the files load back in networkx with names, tie types and quotes."""

from __future__ import annotations

import io
from typing import Any

import networkx as nx
import pytest

from threadline.export.graph_formats import (
    export_graph,
    layout_positions,
    to_gexf,
    to_graphml,
)


def _export() -> dict[str, Any]:
    """Three fictional people and a crew; two different ties between the same pair."""
    return {
        "threadline_export": 1,
        "documents": [
            {
                "id": "d1",
                "title": "Crew notes",
                "source": "notes.txt",
                "sha256": "0" * 64,
                "published": "2020-01-02",
                "text": "Ana Kovac & Lev Marin, brothers in arms.",
            },
        ],
        "entities": [
            {
                "id": "e1",
                "schema": "Person",
                "name": "Ana Kovac",
                "names": ["Ana Kovac", "Kovac"],
                "aliases": ["Red\x01Fox"],
                "roles": ["driver"],
                "metrics": {"degree": 2, "betweenness": 0.25, "community": 0, "key_player": True},
            },
            {
                "id": "e2",
                "schema": "Person",
                "name": "Lev Marin",
                "metrics": {"degree": 2, "betweenness": 0.5, "community": 1, "key_player": False},
            },
            {"id": "e3", "schema": "Organization", "name": "Grey Crew", "metrics": {"degree": 1.0}},
            {"id": "e4", "schema": "Person", "name": "Nobody Linked"},
        ],
        "ties": [
            {
                "id": "t1",
                "type": "associate",
                "detail": "brothers in arms",
                "source": "e1",
                "target": "e2",
                "confidence": 0.7,
                "evidence": [
                    {
                        "document": "d1",
                        "start": 0,
                        "end": 40,
                        "quote": "Ana Kovac & Lev Marin, brothers in arms.",
                    }
                ],
            },
            {
                "id": "t2",
                "type": "travelled_with",
                "source": "e1",
                "target": "e2",
                "hedged": True,
                "evidence": [],
            },
            {
                "id": "t3",
                "type": "member_of",
                "detail": "",
                "source": "e2",
                "target": "e3",
                "evidence": [],
            },
        ],
        "claims": [],
        "conflicts": [],
    }


def _edge(graph: nx.MultiGraph, tie_id: str) -> dict[str, Any]:
    return next(d for _, _, d in graph.edges(data=True) if d.get("tie_id", d.get("id")) == tie_id)


def test_graphml_loads_with_named_node_and_typed_edge() -> None:
    graph = nx.read_graphml(io.BytesIO(to_graphml(_export()).encode("utf-8")))
    assert graph.nodes["e1"]["label"] == "Ana Kovac"
    assert graph.nodes["e1"]["schema"] == "Person"
    assert graph.nodes["e1"]["betweenness"] == pytest.approx(0.25)
    assert graph.nodes["e1"]["key_player"] is True
    assert graph.nodes["e1"]["aliases"] == "RedFox"  # control character dropped
    associate = _edge(graph, "t1")
    assert associate["tie_type"] == "associate"
    assert associate["quote"] == "Ana Kovac & Lev Marin, brothers in arms."
    assert associate["document"] == "Crew notes"
    assert associate["confidence"] == pytest.approx(0.7)
    assert associate["evidence_count"] == 1
    assert graph.number_of_edges("e1", "e2") == 2  # parallel ties are kept apart


def test_gexf_loads_with_viz_and_edge_ids() -> None:
    graph = nx.read_gexf(io.BytesIO(to_gexf(_export()).encode("utf-8")))
    assert graph.nodes["e2"]["label"] == "Lev Marin"
    assert graph.nodes["e2"]["viz"]["color"]["r"] >= 0
    member = _edge(graph, "t3")
    assert member["tie_type"] == "member_of" and member["directed"] is True
    assert (member["tie_source"], member["tie_target"]) == ("e2", "e3")
    assert _edge(graph, "t2")["hedged"] is True


def test_attributes_are_plain_scalars_and_metric_types_are_consistent() -> None:
    graph = export_graph(_export())
    for _, data in graph.nodes(data=True):
        assert all(isinstance(v, str | int | float | bool) for v in data.values())
    for _, _, data in graph.edges(data=True):
        assert all(isinstance(v, str | int | float | bool) for v in data.values())
    degrees = {type(d["degree"]) for _, d in graph.nodes(data=True) if "degree" in d}
    assert degrees == {float}  # int in one entity and float in another -> float
    assert "degree" not in graph.nodes["e4"]  # missing metric is left out, not zero


def test_layout_is_deterministic_and_inside_the_box() -> None:
    first = layout_positions(_export(), seed=3)
    assert first == layout_positions(_export(), seed=3)
    assert set(first) == {"e1", "e2", "e3", "e4"}
    assert all(0 <= x <= 1000 and 0 <= y <= 700 for x, y in first.values())


def test_empty_export_gives_empty_but_valid_files() -> None:
    empty = {"threadline_export": 1, "documents": [], "entities": [], "ties": []}
    assert nx.read_graphml(io.BytesIO(to_graphml(empty).encode())).number_of_nodes() == 0
    assert nx.read_gexf(io.BytesIO(to_gexf(empty).encode())).number_of_nodes() == 0
