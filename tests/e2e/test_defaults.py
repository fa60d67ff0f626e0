"""One set of defaults (threadline.analyze.defaults): the CLI, the report, the API and the
workbench ask the same question by default and so give the same answer, on the demo and
on the seeds."""

from __future__ import annotations

import html
import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from threadline.analyze import defaults
from threadline.cli.app import app
from threadline.export.report import key_player_answer

STATIC = Path(__file__).parents[2] / "src" / "threadline" / "web" / "static" / "js"


@pytest.mark.parametrize("case", ["demo_run", "seeds_run"])
def test_cli_report_and_api_name_the_same_key_players(
    case: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    from fastapi.testclient import TestClient

    from threadline.api import create_app

    demo_run: dict[str, Any] = request.getfixturevalue(case)

    ws = tmp_path / "ws"
    shutil.copytree(demo_run["workspace"], ws)
    result = CliRunner().invoke(app, ["keyplayers", "--json", "--workspace", str(ws)])
    assert result.exit_code == 0, result.output
    cli = json.loads(result.stdout)
    assert cli["k"] == defaults.KEY_PLAYERS
    members = [m["id"] for m in cli["members"]]

    # the report: the same function on the export, the same set and check, printed
    report = key_player_answer(demo_run["export"])
    assert [m["id"] for m in report["members"]] == members
    assert report["check"] == cli["check"]
    page = html.unescape((demo_run["out"] / "report.html").read_text(encoding="utf-8"))
    key = page[page.index('id="key"') : page.index('id="people"')]
    names = [m["name"] for m in cli["members"]]
    if cli["check"]["verdict"] == "clear":
        assert all(n in key for n in names) and "Cannot tell" not in key
    else:
        assert "Cannot tell" in key
    # the entities the export flags as key players are that set (analyze uses the default k)
    flagged = {e["id"] for e in demo_run["export"]["entities"] if e["metrics"].get("key_player")}
    assert flagged == set(members)

    # the API: same default k, same set, same check; /api/meta hands the defaults on
    with TestClient(create_app(ws)) as client:
        api = client.get("/api/key-players").json()
        meta = client.get("/api/meta").json()
    assert api["check"] == cli["check"]
    if cli["check"]["verdict"] == "clear":
        assert [r["entity"]["id"] for r in api["items"]] == members
    assert meta["defaults"] == defaults.as_dict()


def test_the_workbench_reads_the_defaults_from_the_api() -> None:
    panels = (STATIC / "panels.js").read_text(encoding="utf-8")
    assert "defaults || {}).key_players" in panels and "k: 5" not in panels
    state = (STATIC / "state.js").read_text(encoding="utf-8")
    main = (STATIC / "main.js").read_text(encoding="utf-8")
    assert "include_inferred" in state + main  # the graph's inferred-ties switch starts there
