"""The multi-relational, time-aware network on a small fictional case: evidence strength,
views by type, date, strength and inferred-or-not; paths with their quotes; cells; suggestions."""

from __future__ import annotations

import pytest

from threadline.analyze.cells import leiden_membership, summarise_cells
from threadline.analyze.graph import network_metrics
from threadline.analyze.hidden import suggest_ties
from threadline.analyze.network import (
    Network,
    SourceInfo,
    ViewOptions,
    build_network,
    evidence_strength,
    network_view,
)
from threadline.analyze.paths import find_entity, k_shortest_paths
from threadline.errors import NotFoundError
from threadline.model import Entity, Evidence, Tie

DOCS = {
    "d1": SourceInfo("d1", "Raid in Kelderhaven", "a.txt", "2016-03-01", "Harbour Gazette"),
    "d2": SourceInfo("d2", "Arrests", "b.txt", "2016-03-05", "Harbour Gazette"),
    "d3": SourceInfo("d3", "The network", "c.txt", "2016-04-01", "Coastline Daily"),
    "d4": SourceInfo("d4", "Undated note", "d.txt", None, None),
}
PEOPLE = {
    "A": "Tarik Benhadi",
    "B": "Yassin Benhadi",
    "C": "Omar Zeroual",
    "D": "Karim Fadili",
    "E": "Lena Marsh",
}


def ev(doc: str, conf: float, quote: str, *, hedged: bool = False) -> Evidence:
    return Evidence(doc, 0, len(quote), quote, "test", conf, hedged=hedged)


def case_entities(data: dict[str, dict[str, str]] | None = None) -> list[Entity]:
    out = [
        Entity(k, "Person", v, [v], [], [f"m{k}"], data=(data or {}).get(k, {}))
        for k, v in PEOPLE.items()
    ]
    out.append(Entity("G", "Organization", "Meerwijk Brotherhood", [], [], []))
    out.append(Entity("X", "Event", "Market attack", [], [], []))
    return out


TIES = [
    Tie("t1", "family", "A", "B", "brothers", 0.9, [ev("d1", 0.9, "his brother Yassin")]),
    Tie(
        "t2",
        "associate",
        "A",
        "C",
        "childhood friends",
        0.8,
        [ev("d1", 0.6, "a childhood friend"), ev("d2", 0.6, "old friends")],
    ),
    Tie(
        "t3",
        "associate",
        "C",
        "D",
        "",
        0.8,
        [ev("d1", 0.6, "Zeroual and Fadili"), ev("d3", 0.6, "Fadili's friend Zeroual")],
    ),
    Tie(
        "t4",
        "communicated_with",
        "B",
        "D",
        "",
        0.4,
        [ev("d3", 0.8, "may have called Fadili", hedged=True)],
        hedged=True,
    ),
    Tie(
        "t5",
        "other",
        "A",
        "D",
        "named in the same sentence",
        0.5,
        [ev("d3", 0.5, "x")],
        inferred=True,
    ),
    Tie("t6", "participated_in", "A", "X", "", 0.9, [ev("d1", 0.9, "Benhadi took part")]),
    Tie("t7", "participated_in", "E", "X", "", 0.9, [ev("d3", 0.9, "Marsh was there")]),
    Tie("t8", "member_of", "C", "G", "", 0.9, [ev("d2", 0.9, "a member of the Brotherhood")]),
    Tie("t9", "associate", "D", "E", "", 0.7, [ev("d4", 0.7, "Fadili knows Marsh")]),
]
NAMED_IN = {"A": ["d1"], "B": ["d1"], "C": ["d1"], "D": ["d1"], "E": ["d3"], "G": ["d2"]}


@pytest.fixture
def network() -> Network:
    return build_network(case_entities(), TIES, DOCS, entity_documents=NAMED_IN)


def _edges(network: Network, **opts: object) -> set[tuple[str, str]]:
    view = network_view(network, ViewOptions(**opts))  # type: ignore[arg-type]
    return {
        tuple(sorted((view.names[a], view.names[b])))  # type: ignore[misc]
        for a, b in view.graph.get_edgelist()
    }


def test_sources_of_one_outlet_are_not_independent() -> None:
    same = [ev("d1", 0.6, "q"), ev("d2", 0.6, "q")]
    assert evidence_strength(same, DOCS) == (0.6, 1)
    two = [ev("d1", 0.6, "q"), ev("d3", 0.6, "q")]
    assert evidence_strength(two, DOCS) == (pytest.approx(0.84), 2)


def test_hedging_inference_and_grade_weaken_evidence() -> None:
    assert evidence_strength([ev("d1", 0.8, "q", hedged=True)], DOCS)[0] == pytest.approx(0.4)
    assert evidence_strength([ev("d1", 0.8, "q")], DOCS, inferred=True)[0] == pytest.approx(0.4)
    graded = evidence_strength([ev("d1", 0.8, "q")], DOCS, grade=lambda d: 0.5)
    assert graded[0] == pytest.approx(0.4)


def test_default_view_is_actors_and_stated_ties(network: Network) -> None:
    view = network_view(network)
    assert sorted(view.names) == sorted([*PEOPLE.values(), "Meerwijk Brotherhood"])
    assert view.left_out == {"inferred": 1}
    assert ("Karim Fadili", "Tarik Benhadi") not in _edges(network)
    assert ("Karim Fadili", "Tarik Benhadi") in _edges(network, include_inferred=True)


def test_views_filter_by_type_strength_and_date(network: Network) -> None:
    assert _edges(network, types=frozenset({"family"})) == {("Tarik Benhadi", "Yassin Benhadi")}
    weak = network_view(network, ViewOptions(min_strength=0.5))
    assert weak.left_out["weak_evidence"] == 1  # the hedged phone tie (0.4)
    early = network_view(network, ViewOptions(as_of="2016-03-02"))
    assert sorted(early.names) == sorted(PEOPLE[k] for k in "ABCD")
    assert early.graph.ecount() == 3  # family, two associate ties stated on 1 March
    assert early.left_out == {"inferred": 1, "later": 2, "undated": 1}


def test_directed_view_keeps_direction_of_membership(network: Network) -> None:
    view = network_view(network, ViewOptions(directed=True))
    arcs = {(view.names[a], view.names[b]) for a, b in view.graph.get_edgelist()}
    assert ("Omar Zeroual", "Meerwijk Brotherhood") in arcs
    assert ("Meerwijk Brotherhood", "Omar Zeroual") not in arcs
    assert {("Tarik Benhadi", "Yassin Benhadi"), ("Yassin Benhadi", "Tarik Benhadi")} <= arcs


def test_parallel_ties_of_two_types_make_one_edge_with_both() -> None:
    extra = Tie("t10", "communicated_with", "A", "B", "", 0.8, [ev("d3", 0.8, "calls")])
    view = network_view(build_network(case_entities(), [*TIES, extra], DOCS))
    a, b = view.index["A"], view.index["B"]
    e = view.graph.get_eid(a, b)
    assert sorted(t.type for t in view.edge_ties[e]) == ["communicated_with", "family"]
    assert view.graph.es[e]["weight"] == pytest.approx(1 - 0.1 * 0.2)


def test_paths_by_hops_and_by_evidence_carry_quotes_and_sources(network: Network) -> None:
    view = network_view(network)
    by_hops = k_shortest_paths(view, "A", "D", k=5)
    assert {tuple(p.names) for p in by_hops[:2]} == {
        ("Tarik Benhadi", "Omar Zeroual", "Karim Fadili"),
        ("Tarik Benhadi", "Yassin Benhadi", "Karim Fadili"),
    }
    best = k_shortest_paths(view, "A", "D", k=1, order="evidence")[0]
    assert best.names == ["Tarik Benhadi", "Omar Zeroual", "Karim Fadili"]
    assert best.weakest == pytest.approx(0.6)
    hop = best.hops[0]
    assert hop.ties[0]["type"] == "associate"
    quotes = {(e["quote"], e["title"], e["published"]) for e in hop.ties[0]["evidence"]}
    assert ("a childhood friend", "Raid in Kelderhaven", "2016-03-01") in quotes
    weak = k_shortest_paths(view, "A", "D", k=2, order="evidence")[1]
    assert weak.cost > best.cost and weak.weakest == pytest.approx(0.4)


def test_find_entity_by_name_accents_and_ambiguity(network: Network) -> None:
    assert find_entity(network, "omar zeroual") == "C"
    assert find_entity(network, "D") == "D"
    with pytest.raises(NotFoundError, match="2 entities"):
        find_entity(network, "Benhadi")
    with pytest.raises(NotFoundError, match="no entity"):
        find_entity(network, "Nobody Here")


def test_suggestions_are_labelled_inferred_with_reasons(network: Network) -> None:
    found = {(s.source_name, s.target_name): s for s in suggest_ties(network)}
    shared = found[("Tarik Benhadi", "Lena Marsh")]
    assert "both took part in Market attack" in shared.reason
    assert shared.to_dict()["inferred"] is True and shared.to_dict()["kind"] == "suggestion"
    common = found[("Yassin Benhadi", "Omar Zeroual")]
    assert common.common_neighbours == ["Karim Fadili", "Tarik Benhadi"]
    assert "2 common contacts" in common.reason and "Adamic-Adar" in common.reason
    view = network_view(network)
    for s in found.values():  # never a pair the evidence already ties
        assert not view.graph.are_adjacent(view.index[s.source], view.index[s.target])


def test_cells_are_stable_under_a_seed_and_list_their_bridges() -> None:
    people = [Entity(f"p{i}", "Person", f"Person {i}", [], [], []) for i in range(10)]
    ties = []
    for block in (range(0, 5), range(5, 10)):
        for i in block:
            for j in block:
                if i < j:
                    ties.append(Tie(f"t{i}-{j}", "associate", f"p{i}", f"p{j}", "", 0.9, []))
    ties.append(Tie("bridge", "family", "p4", "p5", "", 0.9, []))
    view = network_view(build_network(people, ties))
    first = leiden_membership(view.graph, seed=7)
    assert first == leiden_membership(view.graph, seed=7)
    cells = summarise_cells(view, first)
    assert [len(c.members) for c in cells] == [5, 5]
    assert [c.internal_ties for c in cells] == [10, 10]
    assert cells[0].bridges[0].tie_ids == ["bridge"] and cells[0].bridges[0].types == ["family"]
    assert {cells[0].brokers[0], cells[1].brokers[0]} == {"p4", "p5"}


def test_metrics_never_read_personal_attributes() -> None:
    plain = network_metrics(case_entities(), TIES, documents=DOCS)
    attrs = {
        k: {"nationality": n, "religion": r, "age": a}
        for k, n, r, a in (("A", "BE", "x", "30"), ("C", "FR", "y", "41"), ("E", "MA", "z", "22"))
    }
    assert network_metrics(case_entities(attrs), TIES, documents=DOCS) == plain
