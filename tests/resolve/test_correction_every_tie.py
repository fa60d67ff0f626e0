"""Every kind of tie in the demo's export can be rejected and retyped (issue 18): whether the tie
rests on a stated sentence, the tie model, an inference or only an event's name, the
rejection is applied, the tie leaves the next export, and undo brings it back."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from threadline.cli.app import app

runner = CliRunner()


def _cli(*args: str | Path) -> Any:
    result = runner.invoke(app, [*(str(a) for a in args), "--json"], env={"USER": "tester"})
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _ties(ws: Path) -> list[dict[str, Any]]:
    from threadline.export.json_export import build_export
    from threadline.store import open_workspace

    with open_workspace(ws) as w:
        ties: list[dict[str, Any]] = build_export(w, include_text=False)["ties"]
    return ties


def _tie_ids(ws: Path) -> set[str]:
    return {t["id"] for t in _ties(ws)}


def test_every_kind_of_tie_can_be_rejected_and_restored(
    demo_run: dict[str, Any], tmp_path: Path
) -> None:
    ws = tmp_path / "ws"
    shutil.copytree(demo_run["workspace"], ws)
    kinds: dict[tuple[str, str], str] = {}  # (type, extractors) -> one tie of that kind
    for t in demo_run["export"]["ties"]:
        extractors = ",".join(sorted({ev["extractor"] for ev in t["evidence"]}))
        kinds.setdefault((t["type"], extractors), t["id"])
    assert ("located_in", "event-name") in kinds  # the tie an event's name carries
    assert len({x for _, x in kinds}) >= 4  # patterns, the tie model, inferences, names
    corrections = []
    for (kind, extractors), tie in sorted(kinds.items()):
        out = _cli("reject", "--tie", tie, "-w", ws)
        assert out["status"] == "applied", (kind, extractors, out["note"])
        corrections.append(out["id"])
    assert not _tie_ids(ws) & set(kinds.values())
    for c in corrections:
        _cli("undo", str(c), "-w", ws)
    assert _tie_ids(ws) >= set(kinds.values())


def test_every_kind_of_tie_can_be_retyped(demo_run: dict[str, Any], tmp_path: Path) -> None:
    """Retyped, each kind of tie leaves a tie of the new type between its ends, on the
    analyst's word."""
    ws = tmp_path / "ws"
    shutil.copytree(demo_run["workspace"], ws)
    kinds: dict[tuple[str, str], dict[str, Any]] = {}
    for t in demo_run["export"]["ties"]:
        extractors = ",".join(sorted({ev["extractor"] for ev in t["evidence"]}))
        kinds.setdefault((t["type"], extractors), t)
    for (kind, extractors), tie in sorted(kinds.items()):
        new = "associate" if kind == "other" else "other"
        out = _cli("retype", "--tie", tie["id"], "--type", new, "-w", ws)
        assert out["status"] == "applied", (kind, extractors, out["note"])
        ties = _ties(ws)
        ends = {tie["source"], tie["target"]}
        # of a type without direction (other, associate) one tie stands for both ways
        retyped = [t for t in ties if t["type"] == new and {t["source"], t["target"]} == ends]
        assert retyped, (kind, extractors)
        assert "analyst" in {ev["extractor"] for ev in retyped[0]["evidence"]}
