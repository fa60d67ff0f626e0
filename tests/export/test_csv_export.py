"""CSV tables: i2-friendly tie rows, one evidence row per quote, no formula injection."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from threadline.export.csv_export import TIE_COLUMNS, safe_cell, to_csv_tables

_QUOTE = 'Nils Oder, a cousin of "Pia", drove the van.'


def _export() -> dict[str, Any]:
    """A fictional cousin tie, a hostile name, and two claims that disagree."""
    evidence = {
        "document": "d1",
        "start": 0,
        "end": len(_QUOTE),
        "quote": _QUOTE,
        "extractor": "test",
        "confidence": 0.8,
    }
    return {
        "threadline_export": 1,
        "documents": [
            {
                "id": "d1",
                "title": "Van report, part 1",
                "source": "van.txt",
                "sha256": "1" * 64,
                "published": "2019-07-01",
                "text": _QUOTE,
            },
        ],
        "entities": [
            {
                "id": "e1",
                "schema": "Person",
                "name": "Nils Oder",
                "names": ["Nils Oder", "Oder"],
                "aliases": ["N.O."],
                "roles": ["driver"],
                "evidence": [evidence],
                "metrics": {"degree": 1, "betweenness": 0.0, "community": 2, "key_player": False},
            },
            {"id": "e2", "schema": "Person", "name": '=HYPERLINK("http://x","Pia")'},
            {"id": "e3", "schema": "Event", "name": "Van fire"},
        ],
        "ties": [
            {
                "id": "t1",
                "type": "family",
                "detail": "cousins",
                "source": "e1",
                "target": "e2",
                "confidence": 0.8,
                "hedged": False,
                "evidence": [evidence],
            },
            {
                "id": "t2",
                "type": "recruited_by",
                "source": "e1",
                "target": "e2",
                "inferred": True,
                "evidence": [],
            },
        ],
        "claims": [
            {
                "id": "c1",
                "subject": "e3",
                "quantity": "injured",
                "value": 3,
                "qualifier": "at least",
                "evidence": [evidence],
            },
            {"id": "c2", "subject": "e3", "quantity": "injured", "value": 5, "evidence": []},
        ],
        "conflicts": [{"subject": "e3", "quantity": "injured", "claims": ["c1", "c2"]}],
    }


def _rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def tables() -> dict[str, str]:
    return to_csv_tables(_export())


def test_four_tables_with_headers(tables: dict[str, str]) -> None:
    assert set(tables) == {"entities.csv", "ties.csv", "evidence.csv", "claims.csv"}
    assert tables["ties.csv"].splitlines()[0].split(",") == list(TIE_COLUMNS)


def test_tie_row_names_both_ends_and_carries_quote_and_title(tables: dict[str, str]) -> None:
    family = _rows(tables["ties.csv"])[0]
    assert family["tie_id"] == "t1"
    assert (family["source_id"], family["source_name"], family["source_type"]) == (
        "e1",
        "Nils Oder",
        "Person",
    )
    assert family["target_id"] == "e2" and family["target_type"] == "Person"
    assert family["link_type"] == "family" and family["detail"] == "cousins"
    assert family["confidence"] == "0.8" and family["strength"] == "confirmed"
    assert family["first_quote"] == _QUOTE  # commas and quotes survive the round trip
    assert family["document_title"] == "Van report, part 1"


def test_direction_and_strength_follow_the_vocabulary(tables: dict[str, str]) -> None:
    recruited = _rows(tables["ties.csv"])[1]
    assert recruited["direction"] == "directed"
    assert recruited["strength"] == "tentative" and recruited["inferred"] == "true"
    assert recruited["first_quote"] == "" and recruited["evidence_count"] == "0"


def test_hostile_names_cannot_run_as_formulas(tables: dict[str, str]) -> None:
    for name, text in tables.items():
        for row in csv.reader(io.StringIO(text)):
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@")), (name, cell)
    target = _rows(tables["ties.csv"])[0]["target_name"]
    assert target == '\'=HYPERLINK("http://x","Pia")'


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+31 20", "'+31 20"),
        ("-x", "'-x"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tcmd", "'\tcmd"),
        ("plain", "plain"),
        (-3, -3),
        (0.5, 0.5),
        (None, ""),
        (True, "true"),
        (["a", "=b"], "a; =b"),
    ],
)
def test_safe_cell(value: Any, expected: Any) -> None:
    assert safe_cell(value) == expected


def test_entities_table_lists_other_names_and_metrics(tables: dict[str, str]) -> None:
    person = _rows(tables["entities.csv"])[0]
    assert person["other_names"] == "Oder" and person["aliases"] == "N.O."
    assert person["community"] == "2" and person["key_player"] == "false"
    assert person["first_quote"] == _QUOTE


def test_one_evidence_row_per_quote(tables: dict[str, str]) -> None:
    rows = _rows(tables["evidence.csv"])
    assert [(r["owner_kind"], r["owner_id"]) for r in rows] == [
        ("entity", "e1"),
        ("tie", "t1"),
        ("claim", "c1"),
    ]
    assert all(r["quote"] == _QUOTE and r["start"] == "0" for r in rows)
    assert rows[1]["owner_label"].startswith("Nils Oder")


def test_claims_table_marks_conflicts(tables: dict[str, str]) -> None:
    rows = _rows(tables["claims.csv"])
    assert [(r["value"], r["qualifier"], r["in_conflict"]) for r in rows] == [
        ("3", "at least", "true"),
        ("5", "", "true"),
    ]
    assert rows[0]["subject_name"] == "Van fire"
