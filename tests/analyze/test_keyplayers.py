"""Key-player sets: the one-pass removal scores, exhaustive and greedy+swap search, KPP-Pos."""

from __future__ import annotations

import itertools
import random

import igraph as ig
import pytest

from threadline.analyze.keyplayers import (
    _adjacency,
    distance_fragmentation,
    fragmentation,
    kpp_neg,
    kpp_pos,
    reach,
    removal_pairs,
)


def _random_graph(rng: random.Random) -> ig.Graph:
    n = rng.randint(4, 18)
    m = rng.randint(0, n * (n - 1) // 4)
    return ig.Graph.Erdos_Renyi(n=n, m=m)


@pytest.mark.parametrize("trial", range(40))
def test_one_pass_removal_scores_match_recomputing(trial: int) -> None:
    rng = random.Random(trial)
    g = _random_graph(rng)
    removed = [rng.random() < 0.2 for _ in range(g.vcount())]
    _, after = removal_pairs(_adjacency(g), removed)
    for v in range(g.vcount()):
        if removed[v]:
            assert after[v] == -1
            continue
        keep = [u for u in range(g.vcount()) if not removed[u] and u != v]
        sizes = g.induced_subgraph(keep).connected_components().sizes()
        assert after[v] == sum(s * (s - 1) for s in sizes)


@pytest.mark.parametrize("trial", range(15))
def test_searches_find_the_brute_force_best_set(trial: int) -> None:
    rng = random.Random(100 + trial)
    g = _random_graph(rng)
    k = min(3, g.vcount() - 2)
    best = max(fragmentation(g, s) for s in itertools.combinations(range(g.vcount()), k))
    assert kpp_neg(g, k).score == pytest.approx(best)
    assert kpp_neg(g, k, exhaustive_passes=0).score <= best + 1e-12


def test_path_is_cut_in_the_middle() -> None:
    path = ig.Graph([(i, i + 1) for i in range(6)])  # 7 vertices
    assert kpp_neg(path, 1).members == [3]
    assert fragmentation(path, [3]) == pytest.approx(1 - 12 / 30)
    assert distance_fragmentation(path, []) > 0
    assert kpp_neg(path, 1, measure="distance").members == [3]


def test_kpp_pos_reaches_from_the_hubs() -> None:
    g = ig.Graph.Star(6) + ig.Graph.Star(4)  # hubs 0 and 6
    found = kpp_pos(g, 2)
    assert found.members == [0, 6] and found.score == 1.0
    assert reach(g, [0]) == pytest.approx(5 / 9)
    assert kpp_pos(g, 1, measure="distance").members == [0]


def test_unknown_measures_are_refused() -> None:
    with pytest.raises(ValueError):
        kpp_neg(ig.Graph.Ring(5), 1, measure="magic")
    with pytest.raises(ValueError):
        kpp_pos(ig.Graph.Ring(5), 1, measure="magic")
