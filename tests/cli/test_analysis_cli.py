"""The analysis commands on the imported Nov13 network: each `--json` parses and says what
an analyst would check; errors are one clean line."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from threadline.cli.app import app

runner = CliRunner()


@pytest.fixture
def ws(nov13_workspace: Path, tmp_path: Path) -> str:
    copy = tmp_path / "ws"
    shutil.copytree(nov13_workspace, copy)
    return str(copy)


def ok_json(*args: str) -> Any:
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_import_graph_reports_rows_and_resolves(nov13_edges: Path, tmp_path: Path) -> None:
    out = ok_json("import-graph", str(nov13_edges), "--workspace", str(tmp_path / "w"))
    assert (out["edges"], out["nodes"], out["skipped"]) == (197, 77, [])
    assert out["resolve"]["Person"] == 77 and out["analyze"]["ties"] == 197
    docs = ok_json("documents", "--workspace", str(tmp_path / "w"))
    assert docs[0]["title"] == "ise_terrorNetwork.csv"


def test_keyplayers_shows_the_set_beside_the_top_k(ws: str) -> None:
    out = ok_json("keyplayers", "--k", "3", "--mode", "neg", "--workspace", ws)
    assert out["score"] >= 0.552
    assert out["top_k"]["betweenness"]["score"] == pytest.approx(0.5224, abs=1e-4)
    pos = ok_json("keyplayers", "--k", "2", "--mode", "pos", "--steps", "2", "--workspace", ws)
    assert pos["members"][0]["name"] and pos["score"] > 0.5


def test_path_hops_carry_quotes_rows_and_sources(ws: str) -> None:
    out = ok_json("path", "Samy Amimour", "Mohamed Abrini", "--k", "2", "--workspace", ws)
    assert len(out["paths"]) == 2
    for path in out["paths"]:
        for hop in path["hops"]:
            ev = hop["ties"][0]["evidence"][0]
            assert hop["source_name"] in ev["quote"] and hop["target_name"] in ev["quote"]
            assert ev["source"].endswith("ise_terrorNetwork.csv") and ev["row"] > 1
    by_evidence = ok_json("path", "Samy Amimour", "Mohamed Abrini", "--by", "evidence", "-w", ws)
    assert by_evidence["paths"][0]["cost"] == pytest.approx(2 / 0.8)


def test_cells_contagion_triage_and_suggestions(ws: str) -> None:
    cells = ok_json("cells", "--resolution", "1.0", "--seed", "42", "--workspace", ws)["cells"]
    assert sum(c["size"] for c in cells) == 77 and all(c["bridges"] for c in cells)
    again = ok_json("cells", "--workspace", ws)["cells"]
    assert [c["members"] for c in again] == [c["members"] for c in cells]
    spread = ok_json(
        "contagion",
        "--threshold",
        "2",
        "--runs",
        "20",
        "--seed-person",
        "Abdelhamid Abaaoud",
        "--seed-person",
        "Salah Abdeslam",
        "--workspace",
        ws,
    )
    assert spread["inferred"] is True and spread["exposure"] and spread["carrying_ties"]
    plan = ok_json("triage", "--officers", "70", "--per-target", "20", "--workspace", ws)
    assert plan["full_time_targets"] == 3 and plan["partial"]["officers"] == 10
    hidden = ok_json("suggest", "--limit", "5", "--workspace", ws)["suggestions"]
    assert len(hidden) == 5 and all(s["inferred"] for s in hidden)


def test_analyze_as_of_before_the_data_leaves_nothing(ws: str) -> None:
    out = ok_json("analyze", "--as-of", "2016-01-01", "--workspace", ws)
    assert out["actors"] == 0
    out = ok_json("analyze", "--as-of", "2017-12-31", "--key-players", "3", "--workspace", ws)
    assert out["actors"] == 77 and out["key_players"] == 3


def test_errors_are_one_line(ws: str) -> None:
    result = runner.invoke(app, ["path", "Nobody", "Salah Abdeslam", "--workspace", ws])
    assert result.exit_code == 1 and "no entity named 'Nobody'" in result.output
    result = runner.invoke(app, ["path", "Salah Abdeslamm", "Nobody", "--workspace", ws])
    assert result.exit_code == 1
    assert "did you mean 'Salah Abdeslam'?" in result.output  # a typo gets the likely name
    result = runner.invoke(app, ["cells", "--type", "friendship", "--workspace", ws])
    assert result.exit_code == 2
    result = runner.invoke(app, ["contagion", "--workspace", ws])
    assert result.exit_code == 1 and "--seed-person" in result.output
