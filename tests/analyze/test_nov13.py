"""The Paris/Brussels network of Gutfraind & Genkin (2017), read from ../shared at test time:
the reference figures, and every measure against networkx's reference implementation."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from networkx.algorithms.link_analysis.pagerank_alg import _pagerank_python

from threadline.analyze import measures
from threadline.analyze.keyplayers import fragmentation, kpp_neg, score_set
from threadline.analyze.network import GraphView, network_view
from threadline.analyze.stage import load_network
from threadline.store import open_workspace

TOL = 1e-9


@pytest.fixture(scope="module")
def view(nov13_workspace: Path) -> GraphView:
    with open_workspace(nov13_workspace) as ws:
        return network_view(load_network(ws))


@pytest.fixture(scope="module")
def reference(nov13_edges: Path) -> nx.Graph:
    """The same file read straight into networkx, without threadline."""
    rows = list(csv.reader(io.StringIO(nov13_edges.read_bytes().decode("latin-1"))))
    return nx.Graph([tuple(r) for r in rows[1:]])


def _by_name(view: GraphView, values: list[float]) -> dict[str, float]:
    return {view.names[i]: v for i, v in enumerate(values)}


def _close(ours: dict[str, float], theirs: dict[str, float], tol: float = TOL) -> None:
    assert set(ours) == set(theirs)
    worst = max(abs(ours[k] - theirs[k]) for k in ours)
    assert worst <= tol, worst


def test_main_network_has_77_people_and_197_ties(view: GraphView) -> None:
    assert view.graph.vcount() == 77
    assert view.graph.ecount() == 197
    assert {view.network.nodes[i].schema for i in view.ids} == {"Person"}


def test_abaaoud_has_the_highest_degree_and_betweenness(view: GraphView) -> None:
    degree = _by_name(view, measures.degree(view.graph))
    between = _by_name(view, measures.betweenness(view.graph))
    assert max(degree, key=degree.__getitem__) == "Abdelhamid Abaaoud"
    assert degree["Abdelhamid Abaaoud"] == 40
    assert max(between, key=between.__getitem__) == "Abdelhamid Abaaoud"


def test_kpp_neg_three_beats_the_top_three_by_betweenness(view: GraphView) -> None:
    g = view.graph
    best = kpp_neg(g, 3)
    assert best.score >= 0.552
    assert best.score == pytest.approx(fragmentation(g, best.members), abs=1e-12)
    between = measures.betweenness(g)
    top3 = sorted(range(g.vcount()), key=lambda v: -between[v])[:3]
    assert score_set(g, top3, mode="neg", measure="fragmentation") == pytest.approx(0.522, abs=5e-4)
    assert "Abdelhamid Abaaoud" in [view.names[v] for v in best.members]


def test_greedy_with_swaps_finds_the_exhaustive_optimum_too(view: GraphView) -> None:
    greedy = kpp_neg(view.graph, 3, exhaustive_passes=0)
    assert greedy.method == "greedy+swap"
    assert greedy.score >= 0.552


def test_fragmentation_matches_a_networkx_computation(view: GraphView, reference: nx.Graph) -> None:
    removed = ["Abdelhamid Abaaoud", "Salah Abdeslam"]
    h = reference.copy()
    h.remove_nodes_from(removed)
    n = h.number_of_nodes()
    expected = 1 - sum(len(c) * (len(c) - 1) for c in nx.connected_components(h)) / (n * (n - 1))
    ours = fragmentation(view.graph, [view.names.index(x) for x in removed])
    assert ours == pytest.approx(expected, abs=TOL)


@pytest.mark.parametrize(
    ("name", "ours", "theirs"),
    [
        ("degree", lambda g: measures.degree(g), lambda G: dict(G.degree())),
        ("betweenness", lambda g: measures.betweenness(g), nx.betweenness_centrality),
        ("closeness", lambda g: measures.closeness(g), nx.closeness_centrality),
        (
            "harmonic",
            lambda g: measures.harmonic(g),
            lambda G: {k: v / (len(G) - 1) for k, v in nx.harmonic_centrality(G).items()},
        ),
        (
            "pagerank",
            lambda g: measures.pagerank(g),
            lambda G: _pagerank_python(G, tol=1e-15, max_iter=100000),
        ),
        ("coreness", lambda g: measures.coreness(g), nx.core_number),
        ("constraint", lambda g: measures.constraint(g), nx.constraint),
        ("effective_size", lambda g: measures.effective_size(g), nx.effective_size),
    ],
)
def test_measures_agree_with_networkx(
    view: GraphView, reference: nx.Graph, name: str, ours: Any, theirs: Any
) -> None:
    _close(_by_name(view, ours(view.graph)), {k: float(v) for k, v in theirs(reference).items()})


def test_eigenvector_agrees_with_networkx(view: GraphView, reference: nx.Graph) -> None:
    theirs = nx.eigenvector_centrality(reference, tol=1e-15, max_iter=100000)
    top = max(theirs.values())
    _close(
        _by_name(view, measures.eigenvector(view.graph)), {k: v / top for k, v in theirs.items()}
    )


def test_sampled_betweenness_matches_networkx_on_the_same_pivots(
    view: GraphView, reference: nx.Graph
) -> None:
    pivots = measures.pivots_for(view.graph.vcount(), 20, seed=3)
    ours = _by_name(view, measures.betweenness(view.graph, pivots=pivots, normalized=False))
    sub = nx.betweenness_centrality_subset(
        reference, [view.names[p] for p in pivots], list(reference), normalized=False
    )
    n = view.graph.vcount()
    _close(ours, {k: v * n / len(pivots) for k, v in sub.items()})


def test_harmonic_within_a_cutoff_counts_only_near_vertices(
    view: GraphView, reference: nx.Graph
) -> None:
    n = len(reference)
    expected = {
        v: sum(
            1 / d
            for d in nx.single_source_shortest_path_length(reference, v, cutoff=2).values()
            if d
        )
        / (n - 1)
        for v in reference
    }
    _close(_by_name(view, measures.harmonic(view.graph, cutoff=2)), expected)
    _close(
        _by_name(view, measures.harmonic(view.graph, cutoff=3)),
        {
            v: sum(
                1 / d
                for d in nx.single_source_shortest_path_length(reference, v, cutoff=3).values()
                if d
            )
            / (n - 1)
            for v in reference
        },
    )


def test_stored_metrics_keep_the_keys_exports_read(nov13_workspace: Path) -> None:
    with open_workspace(nov13_workspace) as ws:
        metrics = ws.metrics()
        names = {e.id: e.name for e in ws.entities()}
    assert len(metrics) == 77
    for m in metrics.values():
        assert {"degree", "betweenness", "community", "component", "key_player"} <= set(m)
        assert all(not math.isnan(v) for v in m.values())
    flagged = sorted(names[e] for e, m in metrics.items() if m["key_player"] == 1.0)
    assert flagged == ["Abdelhamid Abaaoud", "Oussama Atar", "Samy Amimour"]
    by_type = {k for m in metrics.values() for k in m if "." in k}
    assert "degree.other" in by_type
