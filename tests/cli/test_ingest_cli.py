"""`threadline ingest`, `init` and `documents` through the command line: bad files get one
line naming the file and the reason, the good ones are stored, the exit code says 3."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from threadline.cli.app import EXIT_SKIPPED, app
from threadline.ingest import ingest as ingest_module
from threadline.store.schema import SCHEMA_VERSION_KEY
from threadline.store.workspace import DB_NAME

runner = CliRunner()

GOOD = (
    "Dockside arrests in Kelderhaven\n\n"
    "Police arrested Tarik Benhadi and his brother Yassin Benhadi on Tuesday in a raid, "
    "prosecutors said.\n"
)
WESTERN = "Zoë Lefèvre told the café owner “not here” – then left for Liège.\n"


def invoke(*args: str | Path) -> Any:
    return runner.invoke(app, [str(a) for a in args])


def documents(ws: Path) -> list[dict[str, Any]]:
    result = invoke("documents", "--workspace", ws, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def messy(tmp_path: Path) -> dict[str, Any]:
    """A folder with two good files and one of each kind of bad file."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "western.txt").write_bytes(WESTERN.encode("cp1252"))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "junk.txt").write_bytes(os.urandom(3000).replace(b"\n", b"\x00") + b"\x00")
    (folder / "scan.pdf").write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    (folder / "moved.txt").symlink_to(tmp_path / "elsewhere.txt")
    bad = {
        "empty.txt": "empty file",
        "junk.txt": "binary file",
        "scan.pdf": "not a readable PDF",
        "moved.txt": "broken symbolic link",
    }
    return {"folder": folder, "bad": bad, "ws": tmp_path / "a workspace [1]"}


def test_ingest_names_each_bad_file_on_one_line_keeps_the_good_ones_and_exits_3(
    messy: dict[str, Any],
) -> None:
    result = invoke("ingest", messy["folder"], "--workspace", messy["ws"])
    assert result.exit_code == EXIT_SKIPPED == 3, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == len(messy["bad"]), lines
    for name, reason in messy["bad"].items():
        [line] = [line for line in lines if str(messy["folder"] / name) in line]
        assert line.startswith("skipped ") and reason in line
    assert "added 2 document(s)" in result.stdout and "4 skipped" in result.stdout
    docs = documents(messy["ws"])
    assert sorted(Path(d["source"]).name for d in docs) == ["good.txt", "western.txt"]


def test_ingest_json_lists_added_and_skipped_files(messy: dict[str, Any]) -> None:
    result = invoke("ingest", messy["folder"], "--workspace", messy["ws"], "--json")
    assert result.exit_code == 3
    data = json.loads(result.stdout)
    assert len(data["added"]) == 2 and data["duplicates"] == []
    assert {Path(s["path"]).name: s["reason"] for s in data["skipped"]}.keys() == messy[
        "bad"
    ].keys()
    again = json.loads(invoke("ingest", messy["folder"], "-w", messy["ws"], "--json").stdout)
    assert again["added"] == [] and sorted(again["duplicates"]) == sorted(data["added"])


def test_cp1252_file_is_stored_with_its_accents_and_quotes(messy: dict[str, Any]) -> None:
    invoke("ingest", messy["folder"] / "western.txt", "--workspace", messy["ws"])
    out = messy["ws"].parent / "export.json"
    result = invoke("export", "--format", "json", "-o", out, "--workspace", messy["ws"])
    assert result.exit_code == 0, result.output
    [doc] = json.loads(out.read_text(encoding="utf-8"))["documents"]
    assert doc["text"] == WESTERN


def test_oversized_file_is_skipped_with_the_limit_in_the_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest_module, "MAX_BYTES", 2048)
    big = tmp_path / "dump.txt"
    big.write_text(GOOD * 40, encoding="utf-8")
    small = tmp_path / "small.txt"
    small.write_text(GOOD, encoding="utf-8")
    result = invoke("ingest", big, small, "--workspace", tmp_path / "ws")
    assert result.exit_code == 3
    [line] = result.stderr.strip().splitlines()
    assert str(big) in line and "file too large" in line and "2048 bytes limit" in line
    assert [d["source"] for d in documents(tmp_path / "ws")] == [str(small)]


def test_ingest_of_good_files_only_exits_0(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    result = invoke("ingest", tmp_path / "good.txt", "--workspace", tmp_path / "ws")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_metadata_options_are_stored_and_exported(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    (tmp_path / "bare.txt").write_text(GOOD.replace("Tuesday", "Monday"), encoding="utf-8")
    ws = tmp_path / "ws"
    result = invoke(
        "ingest", tmp_path / "good.txt", "-w", ws,
        "--published", "2016-03-23", "--source-name", "Kelder Courier",
        "--url", "https://courier.example.org/raid",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert invoke("ingest", tmp_path / "bare.txt", "-w", ws).exit_code == 0
    listed = {Path(d["source"]).name: d for d in documents(ws)}
    assert listed["good.txt"]["published"] == "2016-03-23"
    assert listed["good.txt"]["outlet"] == "Kelder Courier"
    assert listed["bare.txt"]["published"] is None and listed["bare.txt"]["outlet"] is None
    out = tmp_path / "export.json"
    assert invoke("export", "-f", "json", "-o", out, "-w", ws).exit_code == 0
    exported = {Path(d["source"]).name: d for d in json.loads(out.read_text())["documents"]}
    good, bare = exported["good.txt"], exported["bare.txt"]
    assert (good["published"], good["outlet"], good["url"]) == (
        "2016-03-23",
        "Kelder Courier",
        "https://courier.example.org/raid",
    )
    assert good.get("author") is None
    assert bare["published"] is None and bare.get("outlet") is None and bare.get("url") is None


def test_sidecar_metadata_is_read(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(GOOD, encoding="utf-8")
    (folder / "good.txt.meta.json").write_text(
        json.dumps({"published": "2021-05-04", "outlet": "Meerwijk Post", "author": "J. Ruys"}),
        encoding="utf-8",
    )
    result = invoke("ingest", folder, "-w", tmp_path / "ws")
    assert result.exit_code == 0, result.output
    [doc] = documents(tmp_path / "ws")
    assert (doc["published"], doc["outlet"]) == ("2021-05-04", "Meerwijk Post")


def test_a_date_that_cannot_be_read_is_refused_not_dropped(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text(GOOD, encoding="utf-8")
    result = invoke("ingest", tmp_path / "good.txt", "-w", tmp_path / "ws", "--published", "soon")
    assert result.exit_code == 2
    assert "--published" in result.stderr and "soon" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "ws").exists(), "nothing was ingested"


# ------------------------------------------------------------------ workspaces


def test_missing_workspace_is_a_clean_error_naming_the_path(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-workspace"
    for command in ("documents", "extract", "resolve", "analyze", "retract d1"):
        result = invoke(*command.split(), "--workspace", missing)
        assert result.exit_code == 1, (command, result.output)
        [line] = result.stderr.strip().splitlines()
        assert line.startswith("error:") and str(missing) in line, line
        assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not missing.exists()


def test_workspace_from_a_newer_version_is_refused_through_the_cli(tmp_path: Path) -> None:
    import duckdb

    ws = tmp_path / "ws"
    assert invoke("init", ws).exit_code == 0
    con = duckdb.connect(str(ws / DB_NAME))
    con.execute("UPDATE meta SET value = '999' WHERE key = ?", [SCHEMA_VERSION_KEY])
    con.close()
    result = invoke("documents", "-w", ws)
    assert result.exit_code == 1
    assert str(ws) in result.stderr and "999" in result.stderr


def test_a_file_as_workspace_is_a_clean_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text(GOOD, encoding="utf-8")
    result = invoke("init", path)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert str(path) in result.stderr


def test_hostile_titles_are_listed_verbatim(tmp_path: Path) -> None:
    title = "Raid [/update] [bold]<script>alert(\"x\")</script> & 'quotes'"
    (tmp_path / "hostile.txt").write_text(f"{title}\n\n{GOOD}", encoding="utf-8")
    assert invoke("ingest", tmp_path / "hostile.txt", "-w", tmp_path / "ws").exit_code == 0
    assert documents(tmp_path / "ws")[0]["title"] == title
    result = runner.invoke(app, ["documents", "-w", str(tmp_path / "ws")], env={"COLUMNS": "400"})
    assert result.exit_code == 0, result.output
    assert title in result.stdout, "shown as written, not read as console markup"
