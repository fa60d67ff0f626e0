"""Each answer carries its check: on a network where the sources state enough ties the
key-player set is printed; on a few ties scattered among 1,000 isolated names,
`keyplayers` and `triage` say they cannot tell instead of ranking noise."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from threadline.analyze.checks import MIN_GAIN, check_answer
from threadline.analyze.keyplayers import key_player_set
from threadline.analyze.network import Network, Node, network_view
from threadline.analyze.stage import load_network
from threadline.cli import analysis_cmd
from threadline.cli.app import app
from threadline.store import open_workspace

runner = CliRunner()

GIVEN = [
    "Arvo", "Berit", "Cai", "Dagny", "Eero", "Freja", "Gorm", "Hedda", "Ilmo", "Jorun",
    "Kaspar", "Liv", "Mauno", "Nanna", "Orvar", "Pirjo", "Ragnvald", "Saga", "Tarmo", "Ulla",
    "Valto", "Wilma", "Yrjo", "Aila", "Bror", "Cilla", "Dan", "Ebba", "Folke", "Greta",
    "Halvar", "Inga", "Joar", "Kerstin", "Lauri", "Maja", "Nils", "Oili", "Pehr", "Ronja",
]  # fmt: skip
FAMILY = [
    "Aaltonen", "Bergkvist", "Dahlgren", "Ekholm", "Forsberg", "Granlund", "Hakala", "Isaksson",
    "Jokela", "Karlsten", "Lindqvist", "Mattila", "Nordin", "Ojala", "Pettersen", "Rautio",
    "Sandvik", "Tallgren", "Uusitalo", "Vesterberg", "Wallin", "Ylitalo", "Akerlund", "Bjorklund",
    "Carlgren",
]  # fmt: skip


def _ok(*args: str | Path) -> Any:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result


def test_the_key_player_set_of_nov13_is_printed_with_a_clear_check(nov13_workspace: Path) -> None:
    report = json.loads(_ok("keyplayers", "--json", "--workspace", nov13_workspace).output)
    assert report["check"]["verdict"] == "clear" and report["check"]["reasons"] == []
    assert report["check"]["connected_share"] > 0.9 and report["check"]["gain"] > MIN_GAIN
    text = _ok("keyplayers", "--workspace", nov13_workspace).output
    assert "key-player set" in text and "cannot separate" not in text
    plan = json.loads(
        _ok("triage", "--officers", "60", "--json", "--workspace", nov13_workspace).output
    )
    assert plan["check"]["verdict"] == "clear" and len(plan["targets"]) == 3


@pytest.fixture(scope="module")
def scattered(demo_run: dict[str, Any]) -> Network:
    """The demo's network among 1,000 more people named once with no tie (a member list)."""
    with open_workspace(demo_run["workspace"]) as ws:
        network = load_network(ws)
    for i, (g, f) in enumerate(itertools.product(GIVEN, FAMILY)):
        node = Node(f"x{i}", f"{g} {f}", "Person")
        network.nodes[node.id] = node
    return network


def test_keyplayers_and_triage_say_they_cannot_tell_on_scattered_ties(
    scattered: Network, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = key_player_set(network_view(scattered), 3)
    check = report["check"]
    assert check["verdict"] == "cannot_tell"
    assert check["actors"] > 1000 and check["connected_share"] < 0.1
    assert any("change" in r for r in check["reasons"])
    # the commands print the verdict in words, and no ranking
    monkeypatch.setattr(analysis_cmd, "_load", lambda workspace: scattered)
    text = _ok("keyplayers", "--workspace", "unused").output
    assert "cannot separate the options" in text and "key-player set" not in text
    text = _ok("triage", "--officers", "100", "--workspace", "unused").output
    assert "cannot separate the options" in text
    assert "officers / 20 per target" not in text  # no plan printed as if it were an answer
    plan = json.loads(_ok("triage", "--officers", "100", "--json", "--workspace", "unused").output)
    assert plan["check"]["verdict"] == "cannot_tell"


def test_the_demo_alone_is_clear(demo_run: dict[str, Any]) -> None:
    with open_workspace(demo_run["workspace"]) as ws:
        report = key_player_set(network_view(load_network(ws)), 3)
    assert report["check"]["verdict"] == "clear"


def test_an_as_of_that_leaves_most_documents_out_says_so() -> None:
    check = check_answer(
        actors=40, largest_component=40, gain=0.3, margin=0.1, documents=40, documents_used=2
    )
    assert check.verdict == "clear"
    assert check.notes == [
        "answered from 2 of 40 documents: the others are undated or later than --as-of"
    ]
    assert "2 of 40 documents" in check.summary()
