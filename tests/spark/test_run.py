"""``threadline run --engine spark`` goes through the one orchestrator and gives the
embedded run's entities, ties and claims on the fictional demo case (issue 21)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from threadline.cli.app import app
from threadline.demo import CASE_DIR
from threadline.pipeline import OUTPUT_FILES
from threadline.store import open_workspace

pytestmark = pytest.mark.spark


def _network(ws: Any) -> dict[str, list[tuple[Any, ...]]]:
    return {
        "entities": sorted((e.id, e.name, e.schema) for e in ws.entities()),
        "ties": sorted((t.id, t.type, t.source, t.target, t.inferred) for t in ws.ties()),
        "claims": sorted((c.id, c.quantity, str(c.value)) for c in ws.claims()),
    }


def test_run_on_spark_gives_the_embedded_entities_ties_and_claims(
    demo_run: dict[str, Any], spark: Any, tmp_path: Path
) -> None:
    ws, out = tmp_path / "ws", tmp_path / "out"
    got = CliRunner().invoke(
        app, ["run", str(CASE_DIR), "--engine", "spark", "-w", str(ws), "-o", str(out), "--json"]
    )
    assert got.exit_code == 0, got.output
    summary = json.loads(got.stdout)
    assert summary["stages"]["extract"]["failed"] == 0
    assert "on_spark" in summary["stages"]["analyze"]  # the measures ran on Spark
    assert all((out / name).exists() for name in OUTPUT_FILES.values())
    with open_workspace(ws) as on_spark, open_workspace(demo_run["workspace"]) as embedded:
        spark_net, embedded_net = _network(on_spark), _network(embedded)
    assert len(embedded_net["entities"]) > 10 and embedded_net["ties"] and embedded_net["claims"]
    assert spark_net == embedded_net
