"""Surveillance triage: the budget, the evidence floor, and network evidence only —
nationality, religion or any personal attribute changes nothing."""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pytest

from threadline.analyze.network import ViewOptions, build_network, network_view, source_infos
from threadline.analyze.triage import plan_surveillance
from threadline.model import Entity, Evidence, Tie
from threadline.store import open_workspace


def _nov13(workspace: Path) -> tuple[list[Entity], list[Tie], dict]:
    with open_workspace(workspace) as ws:
        return ws.entities(), ws.ties(), source_infos(ws.documents())


def _plan(entities: list[Entity], ties: list[Tie], docs: dict, **kw: object) -> dict:
    view = network_view(build_network(entities, ties, docs), ViewOptions(min_strength=0.5))
    return plan_surveillance(view, **kw).to_dict()  # type: ignore[arg-type]


def test_budget_gives_full_time_targets_and_a_part_time_one(nov13_workspace: Path) -> None:
    plan = _plan(*_nov13(nov13_workspace), officers=70, per_target=20)
    assert plan["full_time_targets"] == 3
    assert plan["score"] >= 0.552 > plan["score_top_betweenness"]
    assert {t["name"] for t in plan["targets"]} == {
        "Abdelhamid Abaaoud",
        "Oussama Atar",
        "Samy Amimour",
    }
    assert plan["partial"]["officers"] == 10 and plan["partial"]["coverage"] == 0.5
    assert plan["uncovered"]["people"] == 74 and plan["uncovered"]["components"] > 1
    coverage = _plan(*_nov13(nov13_workspace), officers=40, per_target=20, mode="pos")
    assert coverage["full_time_targets"] == 2 and coverage["partial"] is None
    assert coverage["score"] > 0.5


def test_too_few_officers_for_one_target(nov13_workspace: Path) -> None:
    plan = _plan(*_nov13(nov13_workspace), officers=12, per_target=20)
    assert plan["targets"] == [] and plan["partial"]["coverage"] == 0.6


def test_personal_attributes_change_nothing(nov13_workspace: Path, nov13_edges: Path) -> None:
    entities, ties, docs = _nov13(nov13_workspace)
    details = nov13_edges.parent / "ise_personDetails.csv"
    rows = list(csv.DictReader(io.StringIO(details.read_bytes().decode("latin-1"))))
    citizenship = {r["p.name"]: r["p.citizenship"] for r in rows}
    assert sum(e.name in citizenship for e in entities) > 60

    def with_attributes(pick: dict[str, str]) -> list[Entity]:
        return [
            Entity(
                e.id,
                e.schema,
                e.name,
                e.names,
                e.aliases,
                e.mentions,
                e.roles,
                dict(
                    pick
                    and {
                        "nationality": pick.get(e.name, "NA"),
                        "religion": random.Random(e.name).choice(["a", "b", "c"]),
                        "age": str(random.Random(e.id).randint(18, 60)),
                    }
                ),
            )
            for e in entities
        ]

    shuffled = list(citizenship.values())
    random.Random(3).shuffle(shuffled)
    variants = [
        {},
        citizenship,
        dict(zip(citizenship, shuffled, strict=True)),
        {name: "Belgium" for name in citizenship},
    ]
    for mode in ("neg", "pos"):
        plans = [
            _plan(with_attributes(v), ties, docs, officers=90, per_target=20, mode=mode)
            for v in variants
        ]
        assert all(p == plans[0] for p in plans[1:])


def test_weak_evidence_does_not_make_a_target() -> None:
    people = [Entity(f"p{i}", "Person", f"P{i}", [], [], []) for i in range(9)]
    strong = Evidence("d", 0, 1, "x", "t", 0.9)
    weak = Evidence("d", 0, 1, "x", "t", 0.3)
    ties = [Tie(f"s{i}", "associate", f"p{i}", f"p{i + 1}", "", 0.9, [strong]) for i in range(4)]
    ties += [Tie(f"w{i}", "associate", "p8", f"p{i}", "", 0.3, [weak]) for i in range(5, 8)]
    ties += [Tie("w9", "associate", "p8", "p0", "", 0.3, [weak])]
    net = build_network(people, ties)
    loose = plan_surveillance(network_view(net), officers=20, per_target=20)
    assert [t.id for t in loose.targets] == ["p8"]  # the weakly tied hub, if weak ties counted
    strict = plan_surveillance(network_view(net, ViewOptions(min_strength=0.5)), officers=20)
    assert [t.id for t in strict.targets] == ["p2"]  # the middle of the well-evidenced chain
    assert strict.left_out == {"weak_evidence": 4}


def test_bad_budget_is_refused() -> None:
    net = build_network([Entity("a", "Person", "A", [], [], [])], [])
    with pytest.raises(ValueError):
        plan_surveillance(network_view(net), officers=-1)
    with pytest.raises(ValueError):
        plan_surveillance(network_view(net), officers=10, mode="watch-everyone")
