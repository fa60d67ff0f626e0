"""Components, PageRank and label propagation as Spark jobs agree with igraph."""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import igraph as ig
import pytest

from threadline.analyze.keyplayers import kpp_neg
from threadline.analyze.measures import components
from threadline.spark.graph import (
    connected_components,
    driver_measures,
    frames_from_lists,
    label_propagation,
    pagerank,
)
from threadline.spark.session import SparkEngineError

pytestmark = pytest.mark.spark


def random_graph(n: int, m: int, seed: int) -> ig.Graph:
    """Several components of different sizes, a short chain, and isolates."""
    rng = random.Random(seed)
    g = ig.Graph(n=n)
    g.add_edges([tuple(rng.sample(range(n - 10), 2)) for _ in range(m)])
    g.add_edges([(n - 10 + i, n - 9 + i) for i in range(4)])  # a chain of five
    g.simplify()
    return g


@pytest.fixture(scope="module")
def graph(spark: Any) -> tuple[ig.Graph, Any, Any]:
    g = random_graph(120, 90, seed=5)
    edges = g.get_edgelist()
    # the same ties again reversed, and a self-loop: a tie counts once
    noisy = edges + [(b, a) for a, b in edges[:20]] + [(7, 7)]
    vertices, frame = frames_from_lists(spark, range(g.vcount()), noisy)
    return g, vertices, frame


def test_components_are_igraphs_numbered_the_same_way(graph: tuple[ig.Graph, Any, Any]) -> None:
    g, vertices, edges = graph
    got = {r["id"]: r["component"] for r in connected_components(vertices, edges).collect()}
    expected = components(g)
    assert len(set(expected)) > 10  # several components and isolates: a real check
    assert [got[v] for v in range(g.vcount())] == expected


def test_pagerank_agrees_with_igraph(graph: tuple[ig.Graph, Any, Any]) -> None:
    g, vertices, edges = graph
    got = {r["id"]: r["pagerank"] for r in pagerank(vertices, edges, tolerance=1e-6).collect()}
    expected = g.pagerank(directed=True)
    assert sum(got.values()) == pytest.approx(1.0, abs=1e-9)
    assert max(abs(got[v] - expected[v]) for v in range(g.vcount())) < 1e-6
    top = max(range(g.vcount()), key=expected.__getitem__)
    assert max(got, key=got.__getitem__) == top


def reference_label_propagation(n: int, edges: list[tuple[int, int]], rounds: int) -> list[int]:
    """The rule written out plainly: the most frequent label among a vertex's
    neighbours and itself, the smallest on a tie, all vertices at once."""
    neighbours: list[set[int]] = [set() for _ in range(n)]
    for a, b in edges:
        if a != b:
            neighbours[a].add(b)
            neighbours[b].add(a)
    labels = list(range(n))
    for _ in range(rounds):
        new = []
        for v in range(n):
            votes = Counter(labels[u] for u in neighbours[v] | {v})
            top = max(votes.values())
            new.append(min(label for label, c in votes.items() if c == top))
        if new == labels:
            break
        labels = new
    return labels


def test_label_propagation_follows_its_rule(graph: tuple[ig.Graph, Any, Any]) -> None:
    g, vertices, edges = graph
    got = {r["id"]: r["label"] for r in label_propagation(vertices, edges).collect()}
    expected = reference_label_propagation(g.vcount(), g.get_edgelist(), 20)
    assert [got[v] for v in range(g.vcount())] == expected


def test_label_propagation_finds_two_cells_joined_by_one_tie(spark: Any) -> None:
    clique_a = [(a, b) for a in range(6) for b in range(a + 1, 6)]
    clique_b = [(a, b) for a in range(6, 12) for b in range(a + 1, 12)]
    vertices, edges = frames_from_lists(spark, range(12), [*clique_a, *clique_b, (5, 6)])
    got = {r["id"]: r["label"] for r in label_propagation(vertices, edges).collect()}
    assert len({got[v] for v in range(6)}) == 1
    assert len({got[v] for v in range(6, 12)}) == 1
    assert got[0] != got[11]


def test_exact_betweenness_and_key_players_run_on_the_driver(
    graph: tuple[ig.Graph, Any, Any],
) -> None:
    g, vertices, edges = graph
    comps = connected_components(vertices, edges)
    got = driver_measures(edges, comps, component=0, key_players=2)
    largest = max(g.connected_components(), key=len)
    sub = g.induced_subgraph(sorted(largest))
    assert got.ids == sorted(largest)
    assert got.betweenness == pytest.approx(sub.betweenness(), rel=1e-9) or got.betweenness == [
        pytest.approx(b / ((len(largest) - 1) * (len(largest) - 2) / 2)) for b in sub.betweenness()
    ]
    assert got.key_players == sorted(sorted(largest)[v] for v in kpp_neg(sub, 2).members)
    with pytest.raises(SparkEngineError, match="more than the 5"):
        driver_measures(edges, comps, component=0, max_vertices=5)
