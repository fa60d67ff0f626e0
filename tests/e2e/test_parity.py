"""The CLI and the API answer a use case with one function (issue 21): asked the same
question on the demo case, both interfaces give the same answer."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from threadline.cli.app import app


def _cli(ws: Path, *args: str) -> Any:
    result = CliRunner().invoke(app, [*args, "--json", "--workspace", str(ws)])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_contagion_is_one_answer_on_the_command_line_and_in_the_api(
    demo_run: dict[str, Any], tmp_path: Path
) -> None:
    from fastapi.testclient import TestClient

    from threadline.api import create_app

    ws = tmp_path / "ws"
    shutil.copytree(demo_run["workspace"], ws)
    cli = _cli(ws, "contagion", "--noise", "0.2", "--runs", "40", "--threshold", "1", "--top", "0")
    with TestClient(create_app(ws)) as client:
        got = client.get(
            "/api/contagion",
            params={"noise": 0.2, "runs": 40, "threshold": 1, "limit": 200},
        )
    assert got.status_code == 200, got.text
    api = got.json()
    assert cli["seeds"] and cli["exposure"] and cli["carrying_ties"]
    # the same seeds (the known members), the same exposure, the same carrying ties
    assert api["seeds"] == cli["seeds"]
    assert api["exposure"] == cli["exposure"]
    assert api["carrying_ties"] == cli["carrying_ties"]
    # the cells mark the ties that join two of them (the API never passed the cells before)
    assert any(t["between_cells"] for t in api["carrying_ties"])
    assert api == cli
