"""`threadline records import` and `records link` on small fictional files: bad rows are
named with file and row while the good ones land, records and text resolve into one
identity, and the export carries each record's row."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import entity_named
from typer.testing import CliRunner

from threadline.cli.app import app

runner = CliRunner()
DOCS = Path(__file__).resolve().parents[2] / "docs" / "cli.md"

PEOPLE = (
    "ref;full_name;aka;born;passport;phone\n"
    "A1;Yassine Oukili;;02/04/1990;MA1234567;+32 470 11 22 33\n"
    "A2;Yasin Oukili;;1990-04-02;;+32 470 11 22 33\n"
    "A3;Karim Sadouni;;1988-01-01;MA1234567;\n"
    "A4;;;1991-01-01;;\n"
    "A5;Tarik Benhadi;;1985-02-30;;\n"
    "A2;Nadia Ferhat;;1993-03-03;;\n"
)
MAP = "id=ref,name=full_name,alias=aka,dob=born,doc=passport"
TEXT = (
    "Flat rented under a false name\n\n"
    "VOSTBERG - Police said Yassine Oukili rented the flat in Vostberg in March. "
    "Yassine Oukili was arrested on Friday, prosecutors said.\n"
)


def invoke(*args: str) -> Any:
    return runner.invoke(app, list(args))


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A text document and a record file, imported, linked and exported once."""
    root = tmp_path_factory.mktemp("records")
    ws = str(root / "ws")
    (root / "people.csv").write_text(PEOPLE, encoding="utf-8")
    (root / "news.txt").write_text(TEXT, encoding="utf-8")
    assert invoke("ingest", str(root / "news.txt"), "-w", ws).exit_code == 0
    assert invoke("extract", "-w", ws).exit_code == 0
    imported = invoke("records", "import", str(root / "people.csv"), "--map", MAP, "-w", ws)
    linked = invoke("records", "link", "--threshold", "0.9", "--json", "-w", ws)
    assert linked.exit_code == 0, linked.output
    assert invoke("export", "-o", str(root / "out.json"), "-w", ws).exit_code == 0
    export = json.loads((root / "out.json").read_text(encoding="utf-8"))
    return {"root": root, "ws": ws, "imported": imported, "linked": linked, "export": export}


def test_import_names_each_bad_row_and_keeps_the_good_ones(case: dict[str, Any]) -> None:
    result = case["imported"]
    assert result.exit_code == 3
    path = str(case["root"] / "people.csv")
    lines = [ln for ln in result.output.splitlines() if ln.startswith("skipped ")]
    assert lines == [
        f"skipped {path}, row 5: no name in any mapped column ('full_name')",
        f"skipped {path}, row 7: duplicate id 'A2' (first at row 3)",
    ]
    # an impossible date of birth is named and left out; its row is kept
    (warning,) = [ln for ln in result.output.splitlines() if ln.startswith("warning ")]
    assert warning.startswith(f"warning {path}, row 6: ")
    assert "date of birth '1985-02-30' is impossible" in warning
    assert "imported 4 record(s)" in result.output
    (tarik,) = entity_named(case["export"], "Tarik Benhadi", "Person")
    assert [r["row"] for r in tarik["records"]] == [6]


def test_import_json_lists_the_skipped_rows(tmp_path: Path) -> None:
    (tmp_path / "p.csv").write_text(PEOPLE, encoding="utf-8")
    ws = str(tmp_path / "ws")
    result = invoke("records", "import", str(tmp_path / "p.csv"), "--map", MAP, "--json", "-w", ws)
    data = json.loads(result.stdout)
    assert data["records"] == 4 and [s["row"] for s in data["skipped"]] == [5, 7]
    assert [w["row"] for w in data["warnings"]] == [6]
    again = invoke("records", "import", str(tmp_path / "p.csv"), "--map", MAP, "-w", ws)
    assert again.exit_code == 0 and "already imported" in again.output


def test_link_prints_links_with_their_explanation(case: dict[str, Any]) -> None:
    data = json.loads(case["linked"].stdout)
    assert data["threshold"] == 0.9 and data["records"] == 4
    rules = {frozenset((lk["a"]["name"], lk["b"]["name"])): lk for lk in data["links"]}
    model = rules[frozenset(("Yassine Oukili", "Yasin Oukili"))]
    assert model["rule"] == "splink" and model["match_probability"] >= 0.9
    assert {r["comparison"] for r in model["reasons"]} >= {"given", "family", "dob", "phone"}
    alias = rules[frozenset(("Yassine Oukili", "Karim Sadouni"))]
    assert alias["rule"] == "shared document number" and alias["alias"] == "Karim Sadouni"


def test_a_record_and_a_text_mention_end_in_one_entity(case: dict[str, Any]) -> None:
    (entity,) = entity_named(case["export"], "Yassine Oukili", "Person")
    kinds = {d["id"]: d["kind"] for d in case["export"]["documents"]}
    assert {kinds[ev["document"]] for ev in entity["evidence"]} == {"records", "text"}
    assert "Karim Sadouni" in entity["aliases"]
    assert {r["record"] for r in entity["records"]} == {"A1", "A2", "A3"}
    assert {lk["rule"] for lk in entity["record_links"]} == {"splink", "shared document number"}


def test_export_evidence_for_a_record_carries_its_row(case: dict[str, Any]) -> None:
    export = case["export"]
    texts = {d["id"]: d["text"] for d in export["documents"]}
    kinds = {d["id"]: d["kind"] for d in export["documents"]}
    (entity,) = entity_named(export, "Yassine Oukili", "Person")
    from_records = [ev for ev in entity["evidence"] if kinds[ev["document"]] == "records"]
    assert sorted(ev["row"] for ev in from_records) == [2, 3, 4]
    for ev in entity["evidence"]:
        assert texts[ev["document"]][ev["start"] : ev["end"]] == ev["quote"]
        assert ("row" in ev) == (kinds[ev["document"]] == "records")


def test_resolve_reuses_the_stored_threshold(case: dict[str, Any]) -> None:
    result = invoke("resolve", "--json", "-w", case["ws"])
    assert result.exit_code == 0
    again = json.loads(invoke("records", "link", "--json", "-w", case["ws"]).stdout)
    assert again["threshold"] == 0.9


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--map", "colour=x"], 2, "unknown field 'colour'"),
        (["--map", "name=nom"], 1, "no column 'nom' (for name)"),
    ],
)
def test_import_refuses_a_bad_column_map(
    tmp_path: Path, args: list[str], code: int, message: str
) -> None:
    (tmp_path / "p.csv").write_text(PEOPLE, encoding="utf-8")
    result = invoke("records", "import", str(tmp_path / "p.csv"), *args, "-w", str(tmp_path / "w"))
    assert result.exit_code == code
    assert message in result.output


def test_docs_describe_every_records_option() -> None:
    text = DOCS.read_text(encoding="utf-8")
    section = re.split(r"^## threadline records\s*$", text, flags=re.MULTILINE)[1]
    section = re.split(r"^## ", section, flags=re.MULTILINE)[0]
    import typer.main

    group = typer.main.get_command(app).commands["records"]  # type: ignore[attr-defined]
    for name, command in group.commands.items():
        assert f"### threadline records {name}" in section
        for param in command.params:
            for opt in param.opts if param.param_type_name == "option" else []:
                assert f"`{opt}" in section, f"docs/cli.md lacks 'records {name} {opt}'"


def test_link_shows_a_table_of_the_first_links_and_counts_the_rest(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threadline.cli.records_cmd as records_cmd

    (tmp_path / "p.csv").write_text(PEOPLE, encoding="utf-8")
    ws = str(tmp_path / "ws")
    invoke("records", "import", str(tmp_path / "p.csv"), "--map", MAP, "-w", ws)
    monkeypatch.setattr(records_cmd, "SHOWN_LINKS", 1)
    text = invoke("records", "link", "--threshold", "0.9", "-w", ws)
    assert text.exit_code == 0
    assert "... and 1 more (links); --json lists them all" in text.output
    data = json.loads(invoke("records", "link", "--threshold", "0.9", "--json", "-w", ws).stdout)
    assert len(data["links"]) == 2


def test_a_row_without_a_name_whose_document_names_nobody_is_exported(tmp_path: Path) -> None:
    """No row dropped: a row with no name but an identity document nobody else holds
    is kept as a record (named by its document), resolved and exported with its row."""
    people = (
        "ref;full_name;born;passport\n"
        "B1;Ilias Zerouali;1990-04-02;MA7654321\n"
        "B2;;1987-06-05;ZZ9988776\n"
        "B3;Ilias Zerouali;1990-04-02;MA7654321\n"
    )
    (tmp_path / "p.csv").write_text(people, encoding="utf-8")
    ws, out = str(tmp_path / "ws"), tmp_path / "out.json"
    result = invoke(
        "records", "import", str(tmp_path / "p.csv"), "--map", "id=ref,name=full_name,"
        "dob=born,doc=passport", "-w", ws,
    )  # fmt: skip
    assert result.exit_code == 3 and "imported 3 record(s)" in result.output
    assert "row 3: identity document ZZ9988776 names nobody" in result.output
    assert "kept as a record without a name" in result.output
    assert invoke("records", "link", "-w", ws).exit_code == 0
    assert invoke("export", "-o", str(out), "-w", ws).exit_code == 0
    export = json.loads(out.read_text(encoding="utf-8"))
    rows = {e["name"]: sorted(r["row"] for r in e["records"]) for e in export["entities"]}
    assert rows == {"Ilias Zerouali": [2, 4], "no name (identity document ZZ9988776)": [3]}
    (nameless,) = [e for e in export["entities"] if e["name"].startswith("no name")]
    assert nameless["records"][0]["dob"] == "1987-06-05"


def test_resolve_after_records_link_reuses_its_resolution(
    case: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`records link` resolved the workspace; a `resolve` right after changes nothing and
    does not run the resolver again (a correction, judgement or new file would)."""
    import threadline.resolve.stage as stage

    first = json.loads(invoke("resolve", "--json", "-w", case["ws"]).stdout)

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("resolved again although nothing changed")

    monkeypatch.setattr(stage, "resolve", fail)
    again = invoke("resolve", "--json", "-w", case["ws"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.stdout) == first
    # a new file is a change: the resolver runs (and here, patched, fails)
    (case["root"] / "more.txt").write_text("Nadia Ferhat met Karim Sadouni.\n", encoding="utf-8")
    assert invoke("ingest", str(case["root"] / "more.txt"), "-w", case["ws"]).exit_code == 0
    assert invoke("resolve", "-w", case["ws"]).exit_code != 0
