"""Person records: reading with a column map, bad rows, Splink linkage, aliases from a
shared identity document, and records resolving with text mentions. Every person here
is fictional; Splink runs on a handful of rows, so these tests stay fast."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from threadline.ingest.records import import_record_file, parse_column_map, read_records
from threadline.ingest.values import parse_birth_date
from threadline.model.person_record import RULE_MODEL, RULE_SHARED_DOCUMENT, PersonRecord
from threadline.resolve.linkage import (
    DuckDBRecordLinker,
    blocking_rules,
    linkage_table,
    pair_count,
)
from threadline.resolve.records import (
    PLACEHOLDER_NAMES,
    different_names,
    link_records,
    same_name_links,
    shared_document_links,
)
from threadline.store import open_workspace
from threadline.store import records as record_store

HEADER = "id,full_name,aka,birth_date,nationality,address,phone,passport\n"
MAP = parse_column_map(["name=full_name,alias=aka,dob=birth_date,doc=passport"])
TODAY = dt.date(2024, 1, 1)


def write(tmp_path: Path, rows: str, name: str = "people.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + rows, encoding="utf-8")
    return path


def record(rid: str, name: str, **kw: object) -> PersonRecord:
    return PersonRecord(rid, "d1", int(rid[1:]) + 1, rid, name, f"m{rid}", **kw)  # type: ignore[arg-type]


def linked(records: list[PersonRecord], threshold: float = 0.95):  # type: ignore[no-untyped-def]
    return link_records(records, DuckDBRecordLinker(threads=1), threshold=threshold)


# -- reading and bad rows --------------------------------------------------------------


BAD_ROWS = (
    "1,Yassine Oukili,,1990-04-02,MA,Rue Verte 4 Kelderhaven,+32 470 11 22 33,MA1234567\n"
    ",,,1991-01-01,BE,,,\n"
    "3,Samir Bouzidi,,1985-02-30,DZ,,,\n"
    "4,Karim Fadili,,1982-06-12,BE,,not a phone,\n"
    "5,Omar Zeroual,,19820612X,BE,,,\n"
    "1,Nadia Ferhat,,1993-03-03,FR,,,\n"
    "7,Anna Verlinde,Anna V.,1979-11-30,BE,Kerkstraat 9 Vostberg,,\n"
    "8,Tarik Benhadi,,,BE,,,B 998 877 66\n"
)


def test_bad_rows_are_named_by_file_and_row_and_good_rows_kept(tmp_path: Path) -> None:
    path = write(tmp_path, BAD_ROWS)
    got = read_records(path, MAP)
    refused = {p.row: p.reason for p in got.problems}
    assert set(refused) == {3, 7}
    assert refused[3].startswith("no name")
    assert "duplicate id '1' (first at row 2)" in refused[7]
    assert all(str(p).startswith(f"{path}, row {p.row}: ") for p in got.problems)
    # a bad value is named with its row and left out; the row is kept
    left_out = {p.row: p.reason for p in got.warnings}
    assert "impossible" in left_out[4] and "1985-02-30" in left_out[4]
    assert "phone number 'not a phone'" in left_out[5]
    assert "not a date" in left_out[6]
    assert all(str(p).startswith(f"{path}, row {p.row}: ") for p in got.warnings)
    by_row = {r.row: r for r in got.records}
    assert sorted(by_row) == [2, 4, 5, 6, 8, 9]
    assert by_row[4].name == "Samir Bouzidi" and by_row[4].dob is None
    assert by_row[5].name == "Karim Fadili" and by_row[5].phone is None
    assert by_row[6].dob is None and by_row[5].dob == "1982-06-12"
    assert by_row[2].dob == "1990-04-02"
    assert by_row[9].doc_number == "B99887766"
    assert by_row[8].aliases == ("Anna V.",)


def test_given_and_family_columns_are_kept_apart_on_the_record(tmp_path: Path) -> None:
    path = tmp_path / "split.csv"
    path.write_text(
        "rec;first;last;born\nx1;Karim;LAMRANI;19870514\nx2;Nadia;;19027803\n", encoding="utf-8"
    )
    got = read_records(path, parse_column_map(["id=rec,given=first,family=last,dob=born"]))
    (karim, nadia) = got.records
    assert (karim.name, karim.given, karim.family, karim.dob) == (
        "Karim LAMRANI",
        "Karim",
        "LAMRANI",
        "1987-05-14",
    )
    assert (nadia.name, nadia.source_id, nadia.dob) == ("Nadia", "x2", None)
    assert [(w.row, "19027803" in w.reason) for w in got.warnings] == [(3, True)]


def test_import_stores_every_named_row_in_one_transaction(tmp_path: Path) -> None:
    path = write(tmp_path, BAD_ROWS)
    with open_workspace(tmp_path / "ws", create=True) as ws:
        report = import_record_file(ws, path, MAP)
        assert report.records == 6 and len(report.problems) == 2 and len(report.warnings) == 3
        assert [r.row for r in record_store.records(ws)] == [2, 4, 5, 6, 8, 9]
        doc = ws.document(report.document)
        assert doc.kind == "records" and doc.text == path.read_text(encoding="utf-8")
        for m in ws.mentions():  # each name's span is its cell in the stored file
            assert doc.text[m.start : m.end] == m.text
        again = import_record_file(ws, path, MAP)
        assert again.status == "unchanged" and len(record_store.records(ws)) == 6


def test_a_failed_import_leaves_nothing_half_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, BAD_ROWS)

    def broken(*args: object) -> None:
        raise RuntimeError("disk full")

    with open_workspace(tmp_path / "ws", create=True) as ws:
        monkeypatch.setattr(record_store, "add_records", broken)
        with pytest.raises(RuntimeError):
            import_record_file(ws, path, MAP)
        assert ws.documents() == [] and ws.mentions() == []


@pytest.mark.parametrize(
    ("value", "iso"),
    [("1989-09-15", "1989-09-15"), ("15/09/1989", "1989-09-15"), ("19890915", "1989-09-15")],
)
def test_birth_dates_are_read_in_common_forms(value: str, iso: str) -> None:
    assert parse_birth_date(value, today=TODAY) == iso


@pytest.mark.parametrize("value", ["1989-02-30", "31/13/1989", "2031-01-01", "1790", "soon"])
def test_impossible_birth_dates_are_refused(value: str) -> None:
    with pytest.raises(ValueError, match="date of birth"):
        parse_birth_date(value, today=TODAY)


@pytest.mark.parametrize("spec", ["name", "colour=x", "name=a,name=b", "=x"])
def test_a_bad_column_map_is_refused(spec: str) -> None:
    with pytest.raises(ValueError):
        parse_column_map([spec])


# -- linkage ------------------------------------------------------------------------


def test_two_records_of_one_person_are_linked_with_an_explanation() -> None:
    records = [
        record("r1", "Mohammed Belkadi", dob="1980-03-12", address="Rue Verte 4 Kelderhaven"),
        record("r2", "Muhammad Belkadi", dob="1980-03-12", phone="+32 470 11 22 33"),
        record("r3", "Anna Verlinde", dob="1979-11-30"),
    ]
    result = linked(records)
    assert result.clusters["r1"] == result.clusters["r2"] != result.clusters["r3"]
    (link,) = result.links
    assert link.rule == RULE_MODEL and link.match_probability is not None
    assert link.match_probability >= 0.95
    why = {r.comparison: r for r in link.reasons}
    assert why["given"].level == "same name, other spelling" and why["given"].weight > 0
    assert why["dob"].level == "exact match" and why["dob"].weight > 0
    assert why["phone"].weight == 0  # missing on one side: neutral


@pytest.mark.parametrize(
    ("elder", "younger"),
    [
        (("Salim Ouardani", "1984-07-30"), ("Hakim Ouardani", "1989-09-15")),
        (("Khalid El Fadili", "1986-01-05"), ("Ibrahim el-Fadili", "1988-10-09")),
    ],
)
def test_brothers_sharing_a_home_are_not_linked(
    elder: tuple[str, str], younger: tuple[str, str]
) -> None:
    home = {"address": "Rue des Tanneurs 12 Kelderhaven", "phone": "+32 470 55 66 77"}
    records = [
        record("r1", elder[0], dob=elder[1], **home),
        record("r2", younger[0], dob=younger[1], **home),
    ]
    result = linked(records, threshold=0.5)
    assert result.clusters["r1"] != result.clusters["r2"]
    assert result.links == []


def test_a_shared_passport_under_two_names_makes_an_alias() -> None:
    records = [
        record("r1", "Yassine Oukili", dob="1990-04-02", doc_number="MA1234567"),
        record("r2", "Karim Sadouni", dob="1988-01-01", doc_number="MA1234567"),
    ]
    result = linked(records)
    (link,) = result.links
    assert link.rule == RULE_SHARED_DOCUMENT and link.alias == "r2"
    assert result.clusters["r1"] == result.clusters["r2"]
    assert {r.comparison for r in link.reasons} >= {"doc_number"}  # the model's view is kept


def test_a_placeholder_document_number_links_nobody() -> None:
    records = [
        record(f"r{i}", name, doc_number="UNKNOWN000")
        for i, name in enumerate(
            ["Yassine Oukili", "Karim Sadouni", "Anna Verlinde", "Omar Zeroual", "Nadia Ferhat"]
        )
    ]
    assert len({r.name for r in records}) >= PLACEHOLDER_NAMES
    assert shared_document_links(records, {}) == []


@pytest.mark.parametrize(
    ("a", "b", "different"),
    [
        ("Mohamed Belkadi", "Mohammed Belkadi", False),
        ("Salim Ouardani", "OUARDANI Salim", False),
        ("Salim Ouardani", "Ouardani", False),
        ("Jessica Rivera", "Jessiva Rivera", False),
        ("Yassine Oukili", "Karim Sadouni", True),
        ("Salim Ouardani", "Hakim Ouardani", True),
    ],
)
def test_names_and_aliases_are_told_apart(a: str, b: str, different: bool) -> None:
    assert different_names(record("r1", a), record("r2", b)) is different


def test_names_written_family_first_are_read_family_first() -> None:
    table = linkage_table([record("r1", "OUARDANI Salim"), record("r2", "Salim Ouardani")])
    assert table["given"] == ["salim", "salim"] and table["family"] == ["ouardani", "ouardani"]
    assert table["name_key"][0] == table["name_key"][1]


def test_a_blocking_rule_that_makes_too_many_pairs_is_narrowed() -> None:
    table = linkage_table([record(f"r{i}", f"Name{chr(97 + i)} Ouardani") for i in range(10)])
    assert pair_count(table, ("family_key",)) == 45
    rules = blocking_rules(table, budget=10)
    assert ("family_key", "initial") in rules and ("family_key",) not in rules


def test_same_named_records_whose_birth_dates_conflict_stay_apart(tmp_path: Path) -> None:
    from threadline.resolve.stage import resolve_workspace

    path = write(
        tmp_path,
        "1,Omar Zeroual,,1961-02-03,BE,,,\n2,Omar Zeroual,,1994-10-20,MA,,,\n"
        "3,Nadia Ferhat,,1993-03-03,FR,,,\n4,Nadia Ferhat,,,FR,,,\n",
    )
    with open_workspace(tmp_path / "ws", create=True) as ws:
        import_record_file(ws, path, MAP)
        resolve_workspace(ws)
        names = sorted(e.name for e in ws.entities())
    # two Omar Zerouals (born 33 years apart); one Nadia Ferhat (nothing against it)
    assert names == ["Nadia Ferhat", "Omar Zeroual", "Omar Zeroual"]


def test_the_model_trains_when_there_are_enough_records(monkeypatch: pytest.MonkeyPatch) -> None:
    import threadline.resolve.linkage as linkage

    monkeypatch.setattr(linkage, "TRAIN_MIN_RECORDS", 50)
    given = ["Yassine", "Karim", "Samir", "Omar", "Nadia", "Anna", "Tarik", "Salim", "Hakim"]
    family = ["Oukili", "Sadouni", "Bouzidi", "Zeroual", "Ferhat", "Verlinde", "Benhadi"]
    records = []
    for i in range(120):
        name = f"{given[i % len(given)]} {family[(i * 7) % len(family)]}"
        dob = f"19{60 + i % 40}-{1 + i % 12:02d}-{1 + i % 28:02d}"
        records.append(record(f"r{i}", name, dob=dob, doc_number=f"X{100000 + i}"))
    records.append(record("r500", "Yasin Oukili", dob=records[0].dob, doc_number="X100000"))
    result = link_records(records, DuckDBRecordLinker(threads=1), threshold=0.95)
    assert result.trained
    assert result.clusters["r0"] == result.clusters["r500"]
    assert len(set(result.clusters.values())) == 120


class _Scored:
    """A linker that returns the scores it is given (the clustering under test)."""

    backend = "duckdb"

    def __init__(self, links: list[Any], near: list[Any]) -> None:
        self.links, self.near = links, near

    def link(self, records: Any, *, threshold: float, near: bool = True) -> Any:
        from threadline.resolve.linkage import Linkage

        return Linkage({r.id: r.id for r in records}, self.links, self.near if near else [])


@pytest.mark.parametrize(
    ("probability", "joined"),
    [(0.87, True), (0.02, False)],
)
def test_a_same_named_pair_keeps_others_apart_only_when_the_model_holds_it_two_people(
    probability: float, joined: bool
) -> None:
    from threadline.model.person_record import LinkReason, RecordLink

    # r1 and r2 share a document; r3 has another number (a renewed card, a typo) and
    # is linked to r1 with confidence; r3 scored under the threshold against r2
    records = [
        record("r1", "Oliver Blake", dob="1989-12-03", doc_number="4307988"),
        record("r2", "Oliver Blake", dob="1989-12-03", doc_number="4307988"),
        record("r3", "Oliver Blake", dob="1989-12-03", doc_number="5564357"),
    ]
    against = (LinkReason("doc_number", "different", -4.0),)
    links = [RecordLink("r1", "r3", RULE_MODEL, 20.0, 0.999999, against)]
    near = [RecordLink("r2", "r3", RULE_MODEL, 2.0, probability, against, linked=False)]
    result = link_records(records, _Scored(links, near), threshold=0.95)
    assert (result.clusters["r3"] == result.clusters["r1"] == result.clusters["r2"]) is joined
    assert result.clusters["r1"] == result.clusters["r2"]  # the shared document


@pytest.mark.parametrize(
    ("other", "dob", "joined"),
    [
        ("Usman Qarwashi", "1971-04-09", True),  # one name written in two families
        ("Usman Qarwashi", "1990-01-15", False),  # the same name, another birth date
        ("Nabil Karwashi", "1971-04-09", False),  # a brother: another given name
        ("Mahmoud Karwashi", "1971-04-09", False),  # one skeleton, two names
    ],
)
def test_records_of_one_name_written_differently_are_joined(
    other: str, dob: str, joined: bool
) -> None:
    """The same-name rule reads names through the comparator: a transliteration of
    the whole name joins like the same name key, a relative does not."""
    first = "Mohammed Karwashi" if other.startswith("Mahmoud") else "Uthman Karwashi"
    records = [record("r1", first, dob="1971-04-09"), record("r2", other, dob=dob)]
    links = same_name_links(records, {}, {})
    assert bool(links) is joined
    if joined:
        assert (links[0].a, links[0].b) == ("r1", "r2")
