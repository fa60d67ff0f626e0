"""Complex contagion where the answer is known (Centola & Macy 2007): a threshold-2
contagion spreads through a clustered ring lattice and stalls once the ties are rewired."""

from __future__ import annotations

import igraph as ig
import pytest

from threadline.analyze.contagion import contagion_report, simulate_contagion
from threadline.analyze.network import build_network, network_view
from threadline.model import Entity, Tie

N = 300


def _ring() -> ig.Graph:
    return ig.Graph.Lattice([N], nei=2, circular=True)  # each tied to 2 on either side


def _seeds(g: ig.Graph) -> list[int]:
    return [0, *g.neighbors(0)]  # a person and their contacts, as in Centola-Macy


def test_complex_contagion_spreads_on_the_clustered_ring() -> None:
    g = _ring()
    result = simulate_contagion(g, _seeds(g), threshold=2, runs=1)
    assert result.adopted_share == 1.0
    assert result.rounds == pytest.approx((N - 5) / 2, abs=1)  # two fronts, one step a round


def test_complex_contagion_stalls_on_the_rewired_ring() -> None:
    g = _ring()
    g.rewire(n=20 * g.ecount())  # same degrees, random long ties
    seeds = _seeds(g)
    result = simulate_contagion(g, seeds, threshold=2, runs=1)
    assert result.adopted_share < 0.1
    simple = simulate_contagion(g, seeds, threshold=1, runs=1)
    assert simple.adopted_share == 1.0  # a rumour (one contact suffices) still spreads


def test_noise_makes_exposure_a_probability_and_runs_repeat_under_a_seed() -> None:
    g = _ring()
    a = simulate_contagion(g, _seeds(g), threshold=2, runs=30, noise=0.3, seed=5, max_rounds=20)
    b = simulate_contagion(g, _seeds(g), threshold=2, runs=30, noise=0.3, seed=5, max_rounds=20)
    assert a.adopted == b.adopted
    assert any(0 < p < 1 for p in a.adopted)
    assert all(a.adopted[s] == 1.0 for s in _seeds(g))


def test_share_threshold_and_bad_parameters() -> None:
    g = ig.Graph.Star(6)  # the hub has 5 contacts: half of them is 3 (rounded up)
    assert simulate_contagion(g, [1, 2], threshold=0.5, runs=1).adopted[0] == 0.0
    assert simulate_contagion(g, [1, 2, 3], threshold=0.5, runs=1).adopted[0] == 1.0
    with pytest.raises(ValueError):
        simulate_contagion(g, [1], threshold=0)
    with pytest.raises(ValueError):
        simulate_contagion(g, [1], noise=1.0)


def test_report_names_exposed_people_and_the_ties_that_carried_it() -> None:
    people = [Entity(f"p{i}", "Person", f"Person {i}", [], [], []) for i in range(12)]
    g = ig.Graph.Lattice([12], nei=2, circular=True)
    ties = [
        Tie(f"t{a}-{b}", "associate", f"p{a}", f"p{b}", "", 0.9, []) for a, b in g.get_edgelist()
    ]
    view = network_view(build_network(people, ties))
    seeds = ["p0", "p1", "p2"]
    report = contagion_report(view, seeds, threshold=2, runs=3, membership=[0] * 6 + [1] * 6)
    d = report.to_dict()
    assert d["inferred"] is True and d["adopted_share"] == 1.0
    assert {x["id"] for x in d["exposure"]} == {f"p{i}" for i in range(3, 12)}
    assert all(t["ties"] and t["share_of_runs"] == 1.0 for t in d["carrying_ties"])
    assert any(t["between_cells"] for t in d["carrying_ties"])
