"""Record files through mappings, end to end: the fictional samples become people,
ties and evidence in the export (file, sheet, row); re-reading is a no-op, a changed
file a new version; bad rows are named and the good ones land; a failed ingest leaves
the workspace exactly as it was."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from threadline.cli.app import app
from threadline.errors import InputError
from threadline.export.csv_export import to_csv_tables
from threadline.export.json_export import build_export
from threadline.ingest.mapping import load_mapping, parse_mapping
from threadline.mappings import MAPPINGS, SAMPLES
from threadline.pipeline import ingest_record_file
from threadline.store import Workspace, open_workspace


def _entity(export: dict[str, Any], name: str) -> dict[str, Any]:
    found = [e for e in export["entities"] if e["name"] == name]
    assert len(found) == 1, f"{name}: {[e['name'] for e in export['entities']]}"
    return found[0]


def _ties(export: dict[str, Any], type_: str, a: str, b: str) -> list[dict[str, Any]]:
    ea, eb = _entity(export, a)["id"], _entity(export, b)["id"]
    return [
        t for t in export["ties"] if t["type"] == type_ and {t["source"], t["target"]} == {ea, eb}
    ]


def _doc(export: dict[str, Any], name: str) -> dict[str, Any]:
    return next(d for d in export["documents"] if d["title"] == name)


# -- the samples, one record type at a time ----------------------------------------------------


def test_membership_forms_give_recruiters_kunyas_and_properties_with_sheet_and_row(
    samples_ws: dict[str, Any],
) -> None:
    export = samples_ws["export"]
    doc = _doc(export, "membership.xlsx")
    (tie,) = _ties(export, "recruited_by", "Jeroen van Haaftrecht", "Idriss Ouardighi")
    assert tie["source"] == _entity(export, "Jeroen van Haaftrecht")["id"]  # member -> recruiter
    (ev,) = tie["evidence"]
    assert (ev["document"], ev["sheet"], ev["row"]) == (doc["id"], "Forms", 2)
    assert ev["facts"] == {"date": "2022-05-14"}
    jeroen = _entity(export, "Jeroen van Haaftrecht")
    assert "Yahya" in jeroen["aliases"]
    props = {(p["name"], json.dumps(p["value"])): p for p in jeroen["properties"]}
    skills = props[("skills", json.dumps(["driving", "car mechanics"]))]
    assert (skills["document"], skills["sheet"], skills["row"]) == (doc["id"], "Forms", 2)
    assert ("nationality", '"Belgian"') in props  # kept for the analyst
    assert ("status", '"detained"') in props
    assert ("birthDate", '"1998-02-11"') in props
    hamza = _entity(export, "Hamza Benzakour")
    assert {p["name"]: p["value"] for p in hamza["properties"] if p["document"] == doc["id"]}[
        "died"
    ] == "2024-11-13"
    (member,) = _ties(export, "member_of", "Karim Saadouni", "Ouardighi network")
    assert member["detail"] == "logistics"


def test_membership_warnings_name_the_sheet_and_row(samples_ws: dict[str, Any]) -> None:
    result = samples_ws["results"]["membership"]
    assert result.accepted == 7 and result.refused == 0
    reasons = [str(w) for w in result.warnings]
    assert any("sheet 'Forms', row 8" in r and "'31/02/1999' is impossible" in r for r in reasons)
    assert any("row 8" in r and "'missing' is not one of" in r for r in reasons)


def test_nationality_is_never_an_input_to_the_measures(tmp_path: Path) -> None:
    """Principle 4: changing every nationality changes no measure of anyone."""
    changed = tmp_path / "membership.xlsx"
    wb = openpyxl.load_workbook(SAMPLES / "membership.xlsx")
    ws = wb["Forms"]
    for row in ws.iter_rows(min_row=2):
        row[4].value = "Ruritanian"
    wb.save(changed)
    mapping = load_mapping(MAPPINGS / "membership.yaml")
    measures = []
    for i, path in enumerate((SAMPLES / "membership.xlsx", changed)):
        with open_workspace(tmp_path / f"ws{i}", create=True) as w:
            ingest_record_file(w, path, mapping)
            names = {e.id: e.name for e in w.entities()}
            measures.append({names[e]: m for e, m in w.metrics().items()})
    assert measures[0] and measures[0] == measures[1]


def test_rentals_give_shared_residence_for_overlapping_stays_only(
    samples_ws: dict[str, Any],
) -> None:
    export = samples_ws["export"]
    doc = _doc(export, "rentals.csv")
    (tie,) = _ties(export, "shared_residence", "Karim Saadouni", "Hamza Benzakour")
    assert (
        "Rue des Cordiers 14" in tie["detail"] and "from 2024-09-15 to 2024-11-13" in tie["detail"]
    )
    rows = sorted(ev["row"] for ev in tie["evidence"] if ev["document"] == doc["id"])
    assert rows == [6, 7, 8]  # the lease, the parking permit (by document), Hamza's row
    for ev in tie["evidence"]:
        assert ev["quote"] == doc["text"][ev["start"] : ev["end"]]
        assert ev["quote"].count(";") == 5  # the row, as the file writes it
    (kalverdijk,) = _ties(export, "shared_residence", "Jeroen van Haaftrecht", "Yannick Dervaux")
    assert "from 2023-05-01 to 2024-06-30" in kalverdijk["detail"]
    latifa = _entity(export, "Latifa Oukili")["id"]
    assert not [
        t
        for t in export["ties"]
        if t["type"] == "shared_residence" and latifa in (t["source"], t["target"])
    ]


def test_an_identity_document_under_two_names_makes_one_person_with_an_alias(
    samples_ws: dict[str, Any],
) -> None:
    export = samples_ws["export"]
    karim = _entity(export, "Karim Saadouni")
    assert "Olivier Lambrechts" in karim["aliases"]
    assert not [e for e in export["entities"] if e["name"] == "Olivier Lambrechts"]
    links = [lk for lk in karim["record_links"] if lk["rule"] == "shared document number"]
    assert links and {links[0]["a"]["name"], links[0]["b"]["name"]} == {
        "Karim Saadouni",
        "Olivier Lambrechts",
    }


def test_crossings_tie_only_the_people_of_one_car(samples_ws: dict[str, Any]) -> None:
    export = samples_ws["export"]
    doc = _doc(export, "crossings.csv")
    trio = ("Hamza Benzakour", "Walid el-Kharraz", "Jeroen van Haaftrecht")
    for i, a in enumerate(trio):
        for b in trio[i + 1 :]:
            (tie,) = _ties(export, "travelled_with", a, b)
            assert "VRM-482-K, Hollemeers toll station, 02/10/2024 23:10" in tie["detail"]
            assert all(ev["document"] == doc["id"] for ev in tie["evidence"])
            assert len(tie["evidence"]) == 2
    assert _ties(export, "travelled_with", "Pieter Maes", "Sofie Maes")
    assert not _ties(export, "travelled_with", "Hamza Benzakour", "Pieter Maes")
    assert not _ties(export, "travelled_with", "Walid Benali", "Inge Claes")  # on foot, no car


def test_forensic_traces_tie_people_to_places(samples_ws: dict[str, Any]) -> None:
    export = samples_ws["export"]
    doc = _doc(export, "forensics.jsonl")
    (tie,) = _ties(
        export, "located_in", "Mohamed Tazrouti", "Rue des Cordiers 14, Les Tanneries, Vremmingen"
    )
    ev = next(e for e in tie["evidence"] if e["document"] == doc["id"])
    assert tie["detail"] == "DNA on a toothbrush" and ev["row"] == 1
    assert ev["facts"] == {"date": "2024-11-13"}
    assert ev["quote"].startswith('{"trace_id": "F-2024-1131"')


def test_calls_between_attributed_numbers_are_ties_with_counts_and_dates(
    samples_ws: dict[str, Any],
) -> None:
    from threadline.ingest.values import normalise_phone

    export = samples_ws["export"]
    saadouni, ouardighi = "+32486558812", "+32470112045"
    with open(SAMPLES / "calls.csv", encoding="utf-8") as fh:
        rows = [
            (
                r,
                normalise_phone(r["calling_number"], country_code="+32"),
                normalise_phone(r["called_number"], country_code="+32"),
            )
            for r in csv.DictReader(fh)
        ]
    between = [(r, a, b) for r, a, b in rows if {a, b} == {saadouni, ouardighi}]
    (tie,) = _ties(export, "communicated_with", "Karim Saadouni", "Idriss Ouardighi")
    (ev,) = tie["evidence"]
    facts = ev["facts"]
    assert facts["calls"] == len(between) > 20
    assert facts["first_contact"] == between[0][0]["start_time"].replace(" ", "T")
    assert facts["last_contact"] == between[-1][0]["start_time"].replace(" ", "T")
    assert facts["duration_seconds"] == sum(int(r["duration_s"]) for r, _, _ in between)
    assert ev["row"] == rows.index(between[0]) + 2  # the first call's row, header is row 1
    assert f"{len(between)} calls" in tie["detail"]
    # numbers nobody is known to use make no tie
    result = samples_ws["results"]["calls"]
    assert result.calls == len(rows) and result.call_ties == 4


# -- provenance and versions -----------------------------------------------------------------


FORMS = """version: 1
id: form
entities:
  member: {schema: Person, name: name, dob: born, phone: phone}
  recruiter: {schema: Person, name: recruiter}
ties:
  - {type: recruited_by, source: member, target: recruiter}
source: {country_code: "+32"}
"""


def _forms(tmp_path: Path, text: str, name: str = "forms.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


SPLIT_NAMES = """version: 1
id: ref
entities:
  person:
    schema: Person
    record: true
    given: first
    family: last
    dob: born
    document: card
    document_links: true
"""


def test_given_and_family_columns_make_one_name_and_stay_apart_on_the_record(
    tmp_path: Path,
) -> None:
    from threadline.resolve.records import with_documents
    from threadline.store import records as record_store

    p = _forms(
        tmp_path,
        "ref,first,last,born,card\n"
        "a1,Karim,LAMRANI,1987-05-14,BE 4471\n"
        "a2,,,1987-02-30,BE 4471\n"  # no name: named by its card; its impossible date named
        "a3,Nadia,Ferhat,,\n",
    )
    with open_workspace(tmp_path / "ws", create=True) as ws:
        got = ingest_record_file(
            ws, p, parse_mapping(SPLIT_NAMES, path="split.yaml"), resolve=False
        )
        recs = with_documents(record_store.records(ws), ws.mentions())
    assert got.refused == 0 and [(w.row, "1987-02-30" in w.reason) for w in got.warnings] == [
        (3, True)
    ]
    by_ref = {r.source_id: r for r in recs}
    assert (by_ref["a1"].name, by_ref["a1"].given, by_ref["a1"].family) == (
        "Karim LAMRANI",
        "Karim",
        "LAMRANI",
    )
    # every row is a record (record: true): the nameless row too, under its card's name
    assert (by_ref["a2"].name, by_ref["a2"].dob, by_ref["a2"].doc_number) == (
        "Karim LAMRANI",
        None,
        "BE4471",
    )
    # document_links: the undeclared number links the records that carry it
    assert by_ref["a1"].untyped_document_rule and by_ref["a2"].untyped_document_rule
    assert by_ref["a3"].given == "Nadia" and by_ref["a3"].dob is None


def test_a_bad_value_repeated_in_many_rows_is_named_in_each_row(tmp_path: Path) -> None:
    # a reader reads each distinct cell once: the warning must still name every row
    rows = "".join(
        f"r{i},{first},Ferhat,{born},,\n"
        for i, (first, born) in enumerate(
            [("Nadia", "1987-02-30"), ("1234", "1990-01-01"), ("Nadia", "1987-02-30")] * 2
        )
    )
    p = _forms(tmp_path, "ref,first,last,born,card,x\n" + rows)
    with open_workspace(tmp_path / "ws", create=True) as ws:
        got = ingest_record_file(
            ws, p, parse_mapping(SPLIT_NAMES, path="split.yaml"), resolve=False
        )
        stored = ws.con.execute("SELECT row_, given, dob FROM records ORDER BY row_").fetchall()
    dates = [w.row for w in got.warnings if "'1987-02-30' is impossible" in w.reason]
    names = [w.row for w in got.warnings if "'1234'" in w.reason and "left out" in w.reason]
    assert dates == [2, 4, 5, 7] and names == [3, 6]
    assert got.refused == 0 and len(stored) == 6
    assert [(g, d) for _, g, d in stored[:3]] == [
        ("Nadia", None),
        (None, "1990-01-01"),
        ("Nadia", None),
    ]


def test_reading_the_same_file_again_changes_nothing(tmp_path: Path) -> None:
    mapping = parse_mapping(FORMS, path="forms.yaml")
    p = _forms(
        tmp_path,
        "form,name,born,phone,recruiter\n1,Karim Saadouni,1994,0486 55 88 12,Idriss Ouardighi\n",
    )
    with open_workspace(tmp_path / "ws", create=True) as ws:
        first = ingest_record_file(ws, p, mapping, resolve=False)
        before = _snapshot(ws)
        again = ingest_record_file(ws, p, mapping, resolve=False)
        assert again.status == "unchanged" and again.document == first.document
        assert _snapshot(ws) == before


def test_a_changed_file_is_a_new_version_and_both_are_kept(tmp_path: Path) -> None:
    mapping = parse_mapping(FORMS, path="forms.yaml")
    p = _forms(
        tmp_path, "form,name,born,phone,recruiter\n1,Karim Saadouni,1994,,Idriss Ouardighi\n"
    )
    with open_workspace(tmp_path / "ws", create=True) as ws:
        v1 = ingest_record_file(ws, p, mapping)
        _forms(
            tmp_path,
            "form,name,born,phone,recruiter\n1,Karim Saadouni,1994,,Idriss Ouardighi\n2,Yannick Dervaux,1997,,Jeroen van Haaftrecht\n",
        )
        v2 = ingest_record_file(ws, p, mapping)
        assert (v2.status, v2.version, v2.previous) == ("added", 2, v1.document)
        docs = {d.id: d for d in ws.documents()}
        assert v1.document in docs and v2.document in docs
        assert docs[v2.document].title == "forms.csv (version 2)"
        export = build_export(ws)
        (tie,) = _ties(export, "recruited_by", "Karim Saadouni", "Idriss Ouardighi")
        assert {ev["document"] for ev in tie["evidence"]} == {v1.document, v2.document}
        blobs = [f for f in (tmp_path / "ws" / "blobs").rglob("*") if f.is_file()]
        assert len(blobs) == 2  # both originals, content-addressed


def test_the_same_bytes_through_another_mapping_are_read_again(tmp_path: Path) -> None:
    p = _forms(
        tmp_path, "form,name,born,phone,recruiter\n1,Karim Saadouni,1994,,Idriss Ouardighi\n"
    )
    with open_workspace(tmp_path / "ws", create=True) as ws:
        first = ingest_record_file(ws, p, parse_mapping(FORMS, path="a.yaml"), resolve=False)
        other = FORMS.replace("recruited_by", "associate")
        second = ingest_record_file(ws, p, parse_mapping(other, path="b.yaml"), resolve=False)
        assert second.status == "reread" and second.document == first.document
        types = {a.type for a in ws.assertions() if a.kind == "tie"}
        assert types == {"associate"}
        assert len(ws.documents()) == 1


# -- bad input ----------------------------------------------------------------------------------


BAD = (
    "form,name,born,phone,recruiter\n"
    "1,Karim Saadouni,15/09/1994,+32 486 55 88 12,Idriss Ouardighi\n"  # 2 good
    "2,Ilias Benzakour,31/02/2000,0478 20 33 90,Karim Saadouni\n"  # 3 impossible date: warned
    "3,Hamza\x07 Benzakour,1997-06-21,0478-CALL-ME,Karim Saadouni\n"  # 4 control char, bad phone
    "4," + "A" * 10_000 + ",1990,,\n"  # 5 a 10,000-character name: refused
    "5,Mohamed Tazrouti,1997\n"  # 6 ragged: refused
    '6,"=HYPERLINK(""http://example.invalid"",""open"")",1990,,Karim Saadouni\n'  # 7 formula
    "7,Jeroen\x00 van Haaftrecht,1998,,\n"  # 8 NUL: refused
    "1,Thijs de Roover,1993,,\n"  # 9 duplicate id: refused
    "9,12345,1993,,\n"  # 10 a name of digits: refused
    "10,Yannick Dervaux,11.02.1997,0032 472 90 77 34,Jeroen van Haaftrecht\n"  # 11 good
)


def test_bad_rows_are_named_and_the_good_rows_land(tmp_path: Path) -> None:
    p = tmp_path / "bad.csv"
    p.write_bytes(BAD.encode("utf-8"))
    report = tmp_path / "report.csv"
    with open_workspace(tmp_path / "ws", create=True) as ws:
        result = ingest_record_file(ws, p, parse_mapping(FORMS, path="forms.yaml"), report=report)
        refused = {x.row: x.reason for x in result.problems}
        assert set(refused) == {5, 6, 8, 9, 10}
        assert "10,000 characters long" in refused[5]
        assert "has 3 cells, the header has 5" in refused[6]
        assert "NUL bytes" in refused[8]
        assert "duplicate id '1' (first at row 2)" in refused[9]
        assert "has no letters" in refused[10]
        assert all(str(x).startswith(f"{p}, row ") for x in result.problems)
        warned = {(x.row, x.reason.split(":")[0]) for x in result.warnings}
        assert (3, "entities.member.dob ('born')") in warned
        assert any(r == 4 and "control characters" in w for r, w in warned)
        assert any(x.row == 4 and "0478-CALL-ME" in x.reason for x in result.warnings)
        assert any(x.row == 7 and "spreadsheet formula" in x.reason for x in result.warnings)
        assert (result.rows_read, result.accepted, result.refused) == (10, 5, 5)
        export = build_export(ws)
        names = {e["name"] for e in export["entities"]}
        assert {"Karim Saadouni", "Ilias Benzakour", "Hamza Benzakour", "Yannick Dervaux"} <= names
        karim = _entity(export, "Karim Saadouni")
        assert {"name": "phone", "value": ["+32486558812"]}.items() <= next(
            p for p in karim["properties"] if p["name"] == "phone"
        ).items()
        formula = next(e for e in export["entities"] if e["name"].startswith("=HYPERLINK"))
        tables = to_csv_tables(export)
        cells = [row for row in csv.reader(io.StringIO(tables["entities.csv"]))]
        written = next(r for r in cells if r[0] == formula["id"])
        assert written[2].startswith("'=HYPERLINK")  # never a live formula in a spreadsheet
    lines = list(csv.DictReader(io.StringIO(report.read_text(encoding="utf-8"))))
    assert [(x["rows"], x["status"]) for x in lines if x["status"] == "accepted"] == [
        ("2-4", "accepted"),
        ("7", "accepted"),
        ("11", "accepted"),
    ]
    assert {x["rows"] for x in lines if x["status"] == "refused"} == {"5", "6", "8", "9", "10"}


def _snapshot(ws: Workspace) -> dict[str, Any]:
    tables = [
        r[0]
        for r in ws.con.execute(
            "SELECT table_name FROM information_schema.tables ORDER BY table_name"
        ).fetchall()
    ]
    out: dict[str, Any] = {}
    for t in tables:
        rows = ws.con.execute(f'SELECT * FROM "{t}"').fetchall()
        out[t] = sorted(repr(r) for r in rows)
    blobs = ws.root / "blobs"
    out["_blobs"] = sorted(str(f.relative_to(blobs)) for f in blobs.rglob("*") if f.is_file())
    return out


@pytest.mark.parametrize(
    ("content", "delimiter", "words"),
    [
        (
            "form,name,born,phone,recruiter\n1,12345,,,\n2,,,,\n",
            None,
            "none of its 2 row(s) could be read",
        ),
        ("form;name;born;phone;recruiter\n1;Karim;;;\n", ",", "is the delimiter ';'"),
        ("form,name,born,phone\n1,Karim,1994,\n", None, "no column 'recruiter'"),
        ("form,name,born,phone,recruiter\n", None, "no data rows"),
        ("", None, "empty file"),
    ],
)
def test_a_failed_ingest_leaves_the_workspace_exactly_as_it_was(
    tmp_path: Path, content: str, delimiter: str | None, words: str
) -> None:
    text = FORMS
    if delimiter:  # the mapping says comma, the file uses semicolons: a wrong delimiter
        text = FORMS.replace(
            'country_code: "+32"}', f'country_code: "+32", delimiter: "{delimiter}"}}'
        )
    mapping = parse_mapping(text, path="forms.yaml")
    good = _forms(
        tmp_path,
        "form,name,born,phone,recruiter\n1,Karim Saadouni,1994,,Idriss Ouardighi\n",
        "good.csv",
    )
    bad = _forms(tmp_path, content, "bad.csv")
    with open_workspace(tmp_path / "ws", create=True) as ws:
        ingest_record_file(ws, good, mapping)
        before = _snapshot(ws)
        with pytest.raises(InputError, match=re.escape(words)) as info:
            ingest_record_file(ws, bad, mapping)
        assert "bad.csv" in str(info.value)
        assert _snapshot(ws) == before


def test_an_ingest_interrupted_midway_leaves_the_workspace_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from threadline.store import mapped as store

    mapping = parse_mapping(FORMS, path="forms.yaml")
    with open_workspace(tmp_path / "ws", create=True) as ws:
        ingest_record_file(
            ws,
            _forms(
                tmp_path,
                "form,name,born,phone,recruiter\n1,Karim Saadouni,1994,,Idriss Ouardighi\n",
                "a.csv",
            ),
            mapping,
        )
        before = _snapshot(ws)

        def crash(*_: Any) -> None:
            raise KeyboardInterrupt

        monkeypatch.setattr(store, "add_source", crash)
        p = _forms(
            tmp_path,
            "form,name,born,phone,recruiter\n1,Ilias Benzakour,2000,0478 20 33 90,Karim Saadouni\n",
            "b.csv",
        )
        with pytest.raises(KeyboardInterrupt):
            ingest_record_file(ws, p, mapping)
        assert _snapshot(ws) == before


def test_the_cli_names_refused_rows_writes_the_report_and_exits_3(tmp_path: Path) -> None:
    p = tmp_path / "bad.csv"
    p.write_bytes(BAD.encode("utf-8"))
    mapping = tmp_path / "forms.yaml"
    mapping.write_text(FORMS, encoding="utf-8")
    ws = tmp_path / "ws"
    runner = CliRunner()
    result = runner.invoke(
        app,
        [
            "ingest-records",
            str(p),
            "--mapping",
            str(mapping),
            "-w",
            str(ws),
            "--report",
            str(tmp_path / "r.csv"),
            "--json",
            "--no-resolve",
        ],
    )
    assert result.exit_code == 3, result.output
    out = json.loads(result.stdout)
    assert (out["accepted"], out["refused"]) == (5, 5)
    assert f"refused {p}, row 6: has 3 cells" in result.stderr
    assert (tmp_path / "r.csv").exists()
    dry = runner.invoke(
        app,
        [
            "ingest-records",
            str(SAMPLES / "crossings.csv"),
            "-m",
            str(MAPPINGS / "crossings.yaml"),
            "-w",
            str(ws),
            "--dry-run",
        ],
    )
    assert dry.exit_code == 0 and "dry run" in dry.stdout
    with open_workspace(ws) as w:
        assert all(d.title != "crossings.csv" for d in w.documents())


def test_a_bad_mapping_is_an_error_naming_it(tmp_path: Path) -> None:
    mapping = tmp_path / "m.yaml"
    mapping.write_text("version: 1\nentities:\n  p: {schema: Person, nmae: x}\n", encoding="utf-8")
    result = CliRunner().invoke(
        app,
        [
            "ingest-records",
            str(SAMPLES / "crossings.csv"),
            "-m",
            str(mapping),
            "-w",
            str(tmp_path / "ws"),
        ],
    )
    assert result.exit_code == 1
    assert "m.yaml: entities.p.nmae: unknown key; did you mean 'name'?" in result.stderr


def test_every_sheet_with_the_columns_is_read_and_the_others_are_named(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    first = wb.active
    first.title = "2023"
    first.append(["form", "name", "born", "phone", "recruiter"])
    first.append(["1", "Karim Saadouni", "1994", None, "Idriss Ouardighi"])
    notes = wb.create_sheet("Notes")
    notes.append(["remark"])
    notes.append(["fictional test data"])
    second = wb.create_sheet("2024")
    second.append(["form", "name", "born", "phone", "recruiter"])
    second.append(["2", "Yannick Dervaux", "1997", None, "Jeroen van Haaftrecht"])
    path = tmp_path / "forms.xlsx"
    wb.save(path)
    with open_workspace(tmp_path / "ws", create=True) as ws:
        result = ingest_record_file(ws, path, parse_mapping(FORMS, path="forms.yaml"))
        assert (result.accepted, result.refused) == (2, 0)
        assert any(w.sheet == "Notes" and "sheet skipped" in w.reason for w in result.warnings)
        export = build_export(ws)
        (tie,) = _ties(export, "recruited_by", "Yannick Dervaux", "Jeroen van Haaftrecht")
        assert (tie["evidence"][0]["sheet"], tie["evidence"][0]["row"]) == ("2024", 2)
        assert tie["evidence"][0]["quote"] == ""  # a workbook has no text to quote
