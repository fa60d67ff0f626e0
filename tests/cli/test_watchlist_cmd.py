"""`threadline watchlist import | list | screen`: JSON output, bad rows on stderr with
exit 3, hits in the JSON export exactly as DESIGN.md shows them, re-screening on
resolve, and every sub-command documented in docs/cli.md."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from threadline.cli.app import app
from threadline.export.json_export import build_export
from threadline.model import Entity
from threadline.store import open_workspace

runner = CliRunner()
CLI_DOC = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def _run(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def _seed_entities(ws_path: Path) -> None:
    """Two resolved people and a group, written straight into the workspace."""
    with open_workspace(ws_path, create=True) as ws:
        ws.replace_resolution(
            [
                Entity("e1", "Person", "Yousef el-Mansouri", ["Yousef el-Mansouri"], [], []),
                Entity("e2", "Person", "Nabil Ouardighi", ["Nabil Ouardighi"], [], []),
                Entity("o1", "Organization", "NHB", ["NHB"], [], []),
            ],
            [],
        )


def test_import_list_and_screen(tmp_path: Path, fictional_list: Path) -> None:
    ws = tmp_path / "ws"
    _seed_entities(ws)
    code, out, err = _run("watchlist", "import", str(fictional_list), "-w", str(ws), "--json")
    assert code == 3  # one bad row, named on stderr; the rest imported
    assert re.search(r"skipped .*fictional_list\.xml, row \d+: INDIVIDUAL skipped", err)
    summary = json.loads(out)
    assert (summary["persons"], summary["organizations"]) == (3, 1)

    code, out, _ = _run("watchlist", "list", "-w", str(ws), "--json")
    assert code == 0
    [listed] = json.loads(out)
    assert (listed["name"], listed["entries"], listed["problems"]) == (
        "UN SC Consolidated List",
        4,
        1,
    )

    code, out, _ = _run("watchlist", "screen", "-w", str(ws), "--json")
    assert code == 0
    hits = json.loads(out)
    assert sorted((h["entity"], h["entry_id"]) for h in hits) == [
        ("e1", "TSi.001"),
        ("o1", "TSe.001"),
    ]
    code, out, _ = _run("watchlist", "screen", "-w", str(ws))
    assert code == 0 and "2 watchlist hit(s)" in out

    with open_workspace(ws) as w:
        export = build_export(w, include_text=False)
    by_id = {e["id"]: e for e in export["entities"]}
    [hit] = by_id["e1"]["watchlist_hits"]
    assert set(hit) == {"list", "entry_id", "entry_name", "matched_name", "score", "why"}
    assert hit["entry_id"] == "TSi.001" and hit["list"] == "UN SC Consolidated List"
    assert "watchlist_hits" not in by_id["e2"]  # a brother's surname is no hit


def test_csv_import_under_a_name_and_reimport_replaces(tmp_path: Path) -> None:
    ws = tmp_path / "ws"
    lst = tmp_path / "local.csv"
    lst.write_text("id,name,aliases\nL1,Karim Fadili,Kareem Fadhili\nL2,,x\n", encoding="utf-8")
    code, out, err = _run(
        "watchlist", "import", str(lst), "--name", "Local", "--format", "csv", "-w", str(ws)
    )
    assert code == 3 and "local.csv, row 3" in err and "imported 'Local'" in out
    lst.write_text("id,name\nL1,Karim Fadili\nL9,Omar Zeroual\n", encoding="utf-8")
    code, out, _ = _run("watchlist", "import", str(lst), "--name", "Local", "-w", str(ws))
    assert code == 0
    code, out, _ = _run("watchlist", "list", "-w", str(ws), "--json")
    assert [(r["name"], r["entries"]) for r in json.loads(out)] == [("Local", 2)]


def test_unreadable_list_is_a_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.xml"
    bad.write_text("<NOT_A_LIST/>", encoding="utf-8")
    code, _, err = _run("watchlist", "import", str(bad), "-w", str(tmp_path / "ws"))
    assert code == 1 and "bad.xml" in err and "CONSOLIDATED_LIST" in err
    code, _, err = _run(
        "watchlist", "import", str(bad), "--format", "pdf", "-w", str(tmp_path / "ws")
    )
    assert code == 1 and "unknown list format" in err


def test_resolve_screens_again(tmp_path: Path, fictional_list: Path) -> None:
    from threadline.resolve.watchlist import screen_workspace
    from threadline.store.watchlists import watchlist_hits

    ws_path = tmp_path / "ws"
    _seed_entities(ws_path)
    _run("watchlist", "import", str(fictional_list), "-w", str(ws_path))
    with open_workspace(ws_path) as ws:
        assert screen_workspace(ws) == {"watchlist_hits": 2, "entities_hit": 2}
        assert {h.entry_id for h in watchlist_hits(ws)} == {"TSi.001", "TSe.001"}
    code, out, _ = _run("resolve", "-w", str(ws_path), "--json")
    assert code == 0 and json.loads(out).get("watchlist_hits") == 0  # no mentions: no entities


@pytest.mark.parametrize("sub", ["import", "list", "screen"])
def test_watchlist_sub_commands_are_documented(sub: str) -> None:
    group = typer.main.get_command(app).commands["watchlist"]  # type: ignore[attr-defined]
    command = group.commands[sub]
    assert (command.help or "").strip()
    text = CLI_DOC.read_text(encoding="utf-8")
    section = text.split(f"### threadline watchlist {sub}", 1)[1].split("\n## ", 1)[0]
    section = section.split("\n### ", 1)[0]
    for param in command.params:
        if param.name == "help":
            continue
        if param.param_type_name == "option":
            assert (param.help or "").strip()
            for opt in param.opts + param.secondary_opts:
                assert f"`{opt}" in section, f"docs/cli.md misses 'watchlist {sub} {opt}'"
        else:
            assert f"`{str(param.name).upper()}`" in section
