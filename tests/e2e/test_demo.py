"""The fictional demo case through the whole pipeline, and the `demo` command."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.conftest import entity_named, ties_between

from threadline.demo import EXPECTED, KEY_PERSON

#: What `make demo` does not install (the records and spark extras): the demo runs without.
NOT_IN_THE_RUNTIME = ("splink", "pyarrow", "pyspark", "pandas")


def test_demo_command_writes_report_with_key_person(tmp_path: Path) -> None:
    # in a fresh interpreter where the extras cannot be imported, as after `make demo`
    script = (
        "import sys\n"
        f"sys.modules.update(dict.fromkeys({NOT_IN_THE_RUNTIME!r}))\n"
        "from threadline.cli.app import main\n"
        f"sys.argv = ['threadline', 'demo', '--dir', {str(tmp_path / 'threadline-demo')!r}]\n"
        "main()\n"
    )
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(sys.path), COLUMNS="80")
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=900
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert not any(name in result.stderr for name in NOT_IN_THE_RUNTIME), result.stderr
    report = (tmp_path / "threadline-demo" / "report.html").read_text(encoding="utf-8")
    assert KEY_PERSON in report
    assert "threadline run" in result.stdout  # ends with the commands to explore further
    assert (tmp_path / "threadline-demo" / "threadline.duckdb").exists()
    assert (tmp_path / "threadline-demo" / "entities.ftm.json").stat().st_size > 0
    # each suggested command is one line, whatever the width of the output
    commands = [line.strip() for line in result.stdout.splitlines() if "--workspace" in line]
    assert len(commands) == 6
    assert all(line.endswith(("threadline-demo", "seeds-ws", "workbench")) for line in commands)


def test_demo_suggests_the_script_path_when_threadline_is_not_on_the_path(
    tmp_path: Path, monkeypatch: Any
) -> None:
    from threadline.cli import app as cli_app

    script = tmp_path / ".venv" / "bin" / "threadline"
    script.parent.mkdir(parents=True)
    script.write_text("#!/bin/sh\n")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(cli_app.sys, "argv", [str(script), "demo"])
    monkeypatch.setenv("PATH", "/nonexistent")
    assert cli_app._command_as_typed() == str(Path(".venv/bin/threadline"))
    monkeypatch.setenv("PATH", str(script.parent))
    script.chmod(0o755)
    assert cli_app._command_as_typed() == "threadline"


def test_demo_ingests_only_the_case_documents(demo_run: dict[str, Any]) -> None:
    sources = {Path(d["source"]).name for d in demo_run["export"]["documents"]}
    assert len(sources) == 8
    assert not any(s.endswith((".md", ".json")) for s in sources)


def test_demo_key_person_is_among_the_most_central(demo_run: dict[str, Any]) -> None:
    export = demo_run["export"]
    people = [e for e in export["entities"] if e["schema"] == "Person"]
    top = sorted(people, key=lambda e: -e["metrics"].get("degree", 0))[:3]
    assert KEY_PERSON in [e["name"] for e in top]


def test_demo_aliases_are_merged(demo_run: dict[str, Any]) -> None:
    export = demo_run["export"]
    for stated in EXPECTED["aliases_stated"]:
        if stated.get("kunya"):
            continue
        people = entity_named(export, stated["person"], "Person")
        assert len(people) == 1, stated
        assert stated["alias"] in people[0]["aliases"] + people[0]["names"], stated


def test_demo_brothers_stay_two_people_with_a_family_tie(demo_run: dict[str, Any]) -> None:
    export = demo_run["export"]
    for a, b in EXPECTED["same_surname_different_people"]:
        pa, pb = entity_named(export, a, "Person"), entity_named(export, b, "Person")
        assert len(pa) == 1 and len(pb) == 1 and pa[0]["id"] != pb[0]["id"]
        assert any(t["type"] == "family" for t in ties_between(export, pa[0]["id"], pb[0]["id"]))


def test_demo_reader_comments_are_not_evidence(demo_run: dict[str, Any]) -> None:
    export = demo_run["export"]
    html_doc = next(d for d in export["documents"] if d["source"].endswith(".html"))
    excluded = EXPECTED["must_not"]["article_text_excludes"]
    assert excluded
    for needle in excluded:
        assert needle not in html_doc["text"]
    names = {n for e in export["entities"] for n in e["names"]}
    assert "harbourwatcher_72" not in names and "MiraK" not in names


def test_demo_html_metadata_is_read_from_the_page(demo_run: dict[str, Any]) -> None:
    meta = EXPECTED["html_metadata"]
    doc = next(d for d in demo_run["export"]["documents"] if d["source"].endswith(".html"))
    assert doc["published"] == meta["published"]
    assert doc["author"] == meta["author"]
