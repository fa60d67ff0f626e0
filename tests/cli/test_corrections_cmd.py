"""The correction commands (issue 18) on the fictional brothers case: reject, retype,
role, alias, corrections, undo and judgements; bad input exits 1 (or 2 for usage)
naming the problem, with nothing written."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from threadline.cli.app import app

runner = CliRunner()


def invoke(*args: str | Path) -> Any:
    return runner.invoke(app, [str(a) for a in args], env={"USER": "tester"})


def ok_json(*args: str | Path) -> Any:
    result = invoke(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture()
def ws(brothers_run: dict[str, Any], tmp_path: Path) -> Path:
    target = tmp_path / "ws"
    shutil.copytree(brothers_run["workspace"], target)
    return target


def _export(ws: Path) -> dict[str, Any]:
    from threadline.export.json_export import build_export
    from threadline.store import open_workspace

    with open_workspace(ws) as w:
        return build_export(w, include_text=False)


def _entity(ws: Path, name: str, schema: str) -> dict[str, Any]:
    [found] = [e for e in _export(ws)["entities"] if e["name"] == name and e["schema"] == schema]
    return found


def test_retype_reject_role_and_alias_then_undo_through_the_cli(ws: Path) -> None:
    group = _entity(ws, "Lindemark", "Organization")
    out = ok_json("retype", group["id"], "--as", "Address", "--reason", "a town", "-w", ws)
    assert (out["kind"], out["schema"], out["status"], out["user"], out["reason"]) == (
        "set_schema", "Address", "applied", "tester", "a town"
    )  # fmt: skip
    assert {s["text"] for s in out["spans"]} == {"Lindemark"}
    assert not [e for e in _export(ws)["entities"] if e["id"] == group["id"]]
    result = invoke("reject", "Verbeke group", "-w", ws)
    assert result.exit_code == 0, result.output
    assert "not an entity: 'Verbeke group'" in result.stdout and "applied" in result.stdout
    role = ok_json("role", "Jonas Verbeke", "expert", "-w", ws)
    assert _entity(ws, "Jonas Verbeke", "Person")["role"] == "expert"
    alias = ok_json("alias", "Nabil Ouaziz", "Yusuf Tahiri", "--not", "-w", ws)
    assert "Yusuf Tahiri" not in _entity(ws, "Nabil Ouaziz", "Person")["aliases"]
    history = ok_json("judgements", "-w", ws)
    assert [(h["id"], h["verdict"], h["kind"]) for h in history] == [
        (out["id"], "correction", "set_schema"),
        (out["id"] + 1, "correction", "reject_entity"),
        (role["id"], "correction", "set_role"),
        (alias["id"], "correction", "not_alias"),
    ]
    undone = invoke("undo", str(role["id"]), "--user", "boss", "-w", ws)
    assert undone.exit_code == 0, undone.output
    assert f"undo of correction #{role['id']}" in undone.stdout
    assert _entity(ws, "Jonas Verbeke", "Person")["role"] == role["previous"] != "expert"
    listed = invoke("corrections", "-w", ws)
    assert f"#{role['id']}" in listed.stdout and "[undone]" in listed.stdout
    active = ok_json("corrections", "--active", "-w", ws)
    assert [a["kind"] for a in active] == ["set_schema", "reject_entity", "not_alias"]


def test_a_tie_is_retyped_reversed_and_rejected_by_id(ws: Path) -> None:
    export = _export(ws)
    names = {e["id"]: e["name"] for e in export["entities"]}
    [tie] = [
        t
        for t in export["ties"]
        if {names[t["source"]], names[t["target"]]} == {"Karim Ouaziz", "Jonas Verbeke"}
    ]
    out = ok_json("retype", "--tie", tie["id"][:9], "--type", "recruited_by", "--reverse", "-w", ws)
    assert (out["type"], out["reverse"], out["previous"]) == ("recruited_by", True, tie["type"])
    assert [s["part"] for s in out["spans"]] == ["evidence", "source", "target"]
    assert [s["text"] for s in out["spans"][1:]] == ["Jonas Verbeke", "Karim Ouaziz"]
    after = _export(ws)
    [new] = [t for t in after["ties"] if t["type"] == "recruited_by"]
    assert names[new["source"]] == "Jonas Verbeke" and names[new["target"]] == "Karim Ouaziz"
    # the retyped tie cannot also be rejected while the retype is in force
    refused = invoke("reject", "--tie", new["id"], "-w", ws)
    assert refused.exit_code == 1
    assert f"#{out['id']}" in refused.stderr and f"threadline undo {out['id']}" in refused.stderr
    assert len(ok_json("corrections", "-w", ws)) == 1


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (("reject", "Nobody Known"), 1, "matches no entity"),
        (("reject", "--tie", "t-no-such-tie"), 1, "matches no tie"),
        (("reject", "--mention", "m-none"), 1, "does not exist"),
        (("retype", "Jonas Verbeke", "--as", "Vehicle"), 1, "T710"),
        (("retype", "Jonas Verbeke", "--as", "Person"), 1, "already"),
        (("role", "Jonas Verbeke", "chief"), 1, "'chief' is not one of"),
        (("alias", "Nabil Ouaziz", "Yusuf Tahiri"), 1, "already"),
        (("undo", "77"), 1, "does not exist"),
        (("reject",), 2, "exactly one of"),
        (("reject", "Jonas Verbeke", "--tie", "t1"), 2, "exactly one of"),
        (("retype", "Jonas Verbeke"), 2, "--as"),
        (("retype", "--tie", "t1"), 2, "--type"),
        (("reject", "Jonas Verbeke", "--document", "d1"), 2, "--document"),
    ],
)
def test_bad_input_exits_with_a_named_error_and_writes_nothing(
    ws: Path, args: tuple[str, ...], code: int, words: str
) -> None:
    result = invoke(*args, "-w", ws)
    assert result.exit_code == code, result.output
    assert words in result.output
    assert ok_json("corrections", "-w", ws) == []
