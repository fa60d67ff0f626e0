"""Identity over records (issue 16): kunyas never chain, declared identity documents and
dates of birth count, no merge a record contradicts, edge-list nodes stay nodes, and the
explanation names the rule, the evidence and who decided. Every person is fictional."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from threadline.export.json_export import build_export
from threadline.ingest.edgelist import EdgeListOptions
from threadline.ingest.mapping import MappingError, parse_mapping
from threadline.model.person_record import RULE_MODEL, PersonRecord, RecordLink
from threadline.pipeline import import_graph, ingest_record_file
from threadline.resolve.explain import explain, explanation_lines
from threadline.resolve.records import cluster_links
from threadline.store import Workspace, open_workspace

MEMBERS = """version: 1
name: members
entities:
  member:
    schema: Person
    name: full_name
    aliases: kunya
    dob: born
    document: passport
{extra}"""
DECLARED = "    document_type: passport\n"
HEADER = "full_name,kunya,born,passport\n"


def _ingest(ws: Workspace, tmp_path: Path, name: str, rows: str, mapping: str) -> Any:
    path = tmp_path / name
    path.write_text(HEADER + rows, encoding="utf-8")
    return ingest_record_file(ws, path, parse_mapping(mapping, path=f"{name}.yaml"))


def _people(ws: Workspace) -> dict[str, list[dict[str, Any]]]:
    """Person entities by name, each with its records' (name, row) facts."""
    out: dict[str, list[dict[str, Any]]] = {}
    for e in build_export(ws, include_text=False)["entities"]:
        if e["schema"] == "Person":
            out.setdefault(e["name"], []).append(e)
    return out


@pytest.fixture
def ws(tmp_path: Path) -> Any:
    with open_workspace(tmp_path / "ws", create=True) as w:
        yield w


@pytest.mark.parametrize("extra", ["", DECLARED])
def test_a_kunya_shared_by_several_members_never_makes_them_one(
    ws: Workspace, tmp_path: Path, extra: str
) -> None:
    rows = (
        "Samir Tahrani,Abu Hamza,1984-02-11,K4410021\n"
        "Yannis Verbeke,Abu Hamza,1991-07-30,K5520913\n"
        "Driss Lamouri,Abu Hamza,1977-12-02,K6630488\n"
        "Bilal Oumerzoug,Abu Hamza,1999-05-17,\n"
    )
    _ingest(ws, tmp_path, "members.csv", rows, MEMBERS.format(extra=extra))
    people = _people(ws)
    for name in ("Samir Tahrani", "Yannis Verbeke", "Driss Lamouri", "Bilal Oumerzoug"):
        (entity,) = people[name]
        assert [r["name"] for r in entity["records"]] == [name]
        assert "Abu Hamza" in entity["aliases"]


def test_one_name_in_one_table_is_not_one_person_when_dates_of_birth_differ(
    ws: Workspace, tmp_path: Path
) -> None:
    # two namesakes born on different days, and a row of that name with no date of
    # birth: which of them it is, nothing says; it stays on its own
    rows = "Samir Tahrani,,1984-02-11,\nSamir Tahrani,,1962-09-03,\nSamir Tahrani,,,\n"
    _ingest(ws, tmp_path, "members.csv", rows, MEMBERS.format(extra=""))
    entities = _people(ws)["Samir Tahrani"]
    assert sorted(str(e["records"][0].get("dob")) for e in entities) == [
        "1962-09-03",
        "1984-02-11",
        "None",
    ]


def test_a_one_word_name_in_a_table_is_not_given_to_the_only_full_name(
    ws: Workspace, tmp_path: Path
) -> None:
    rows = "Tahrani,,1990-01-05,K1000001\nSamir Tahrani,,1975-03-14,K2000002\n"
    _ingest(ws, tmp_path, "members.csv", rows, MEMBERS.format(extra=DECLARED))
    people = _people(ws)
    assert len(people["Tahrani"]) == 1 and len(people["Samir Tahrani"]) == 1


def test_two_numbers_of_one_declared_type_never_share_an_entity(
    ws: Workspace, tmp_path: Path
) -> None:
    # one name, one date of birth, two passports: two people (or a forgery to judge)
    rows = "Karim Oudaya,,1988-04-21,K7000001\nKarim Oudaya,,1988-04-21,K7999999\n"
    _ingest(ws, tmp_path, "members.csv", rows, MEMBERS.format(extra=DECLARED))
    entities = _people(ws)["Karim Oudaya"]
    assert len(entities) == 2
    numbers = [{r.get("doc_number") for r in e["records"]} for e in entities]
    assert sorted(map(sorted, numbers)) == [["K7000001"], ["K7999999"]]


def test_an_undeclared_number_column_is_one_comparison_not_a_rule(
    ws: Workspace, tmp_path: Path
) -> None:
    # the same number under two names and two dates of birth: declared, one person
    # with an alias; undeclared (a noisy column), the model's evidence decides: two
    rows = "Karim Oudaya,,1988-04-21,K7000001\nOlivier Lambeau,,1971-10-09,K7000001\n"
    _ingest(ws, tmp_path, "members.csv", rows, MEMBERS.format(extra=""))
    people = _people(ws)
    assert len(people["Karim Oudaya"]) == 1 and len(people["Olivier Lambeau"]) == 1


def test_a_declared_document_under_two_names_is_one_person_explained_by_the_rule(
    ws: Workspace, tmp_path: Path
) -> None:
    rows = "Karim Oudaya,,1988-04-21,K7000001\nOlivier Lambeau,,1971-10-09,K7000001\n"
    _ingest(ws, tmp_path, "members.csv", rows, MEMBERS.format(extra=DECLARED))
    (entity,) = _people(ws)["Karim Oudaya"]
    assert "Olivier Lambeau" in entity["aliases"]
    found = explain(ws, "Karim Oudaya").to_dict()
    rules = {lk["rule"]: lk for lk in found["links"]}
    assert "shared_document" in rules and "judgement" not in rules
    assert rules["shared_document"]["decided_by"] == "threadline's shared-document rule"
    text = "\n".join(explanation_lines(explain(ws, "Karim Oudaya")))
    assert "K7000001" in text and "analyst" not in text
    assert "declared in the text" not in text


def test_a_record_link_is_explained_by_the_model_not_by_an_analyst(
    ws: Workspace, tmp_path: Path
) -> None:
    rows = "Karim Oudaya,,1988-04-21,K7000001\nKarim Oudaya,,1988-04-21,\n"
    _ingest(ws, tmp_path, "members.csv", rows, MEMBERS.format(extra=DECLARED))
    (entity,) = _people(ws)["Karim Oudaya"]
    assert len(entity["records"]) == 2
    links = explain(ws, "Karim Oudaya").to_dict()["links"]
    assert links and all("analyst" not in lk["decided_by"] for lk in links)
    assert {lk["rule"] for lk in links} <= {"record_link", "record_name"}
    assert any("row 2 and row 3" in lk["detail"] for lk in links)


def test_an_entity_whose_records_are_unchanged_keeps_its_id_when_records_are_added(
    ws: Workspace, tmp_path: Path
) -> None:
    first = "Samir Tahrani,,1984-02-11,K4410021\nYannis Verbeke,,1991-07-30,K5520913\n"
    _ingest(ws, tmp_path, "a.csv", first, MEMBERS.format(extra=DECLARED))
    before = {name: es[0]["id"] for name, es in _people(ws).items()}
    # a namesake born another day, and somebody new
    more = "Samir Tahrani,,1958-06-30,K9990001\nDriss Lamouri,,1977-12-02,K6630488\n"
    _ingest(ws, tmp_path, "b.csv", more, MEMBERS.format(extra=DECLARED))
    after = _people(ws)
    assert len(after["Samir Tahrani"]) == 2
    kept = [e for e in after["Samir Tahrani"] if e["records"][0]["dob"] == "1984-02-11"]
    assert kept[0]["id"] == before["Samir Tahrani"]
    assert after["Yannis Verbeke"][0]["id"] == before["Yannis Verbeke"]


def test_a_row_with_two_numbers_of_one_type_is_kept_and_named(
    ws: Workspace, tmp_path: Path
) -> None:
    mapping = (
        "version: 1\nentities:\n  member:\n    schema: Person\n    name: full_name\n"
        "    dob: born\n    documents: {passport: passport}\n    age: age\n    age_on: seen\n"
    )
    path = tmp_path / "stops.csv"
    path.write_text(
        "full_name,born,passport,age,seen\n"
        "Karim Oudaya,1988-04-21,K7000001; K7999999,36,2024-06-01\n"
        "Yannis Verbeke,1991-07-30,K5520913,51,2024-06-01\n"
        "Driss Lamouri,1977-12-02,K6630488,46,2024-06-01\n",
        encoding="utf-8",
    )
    result = ingest_record_file(ws, path, parse_mapping(mapping, path="stops.yaml"))
    assert result.accepted == 3 and result.records == 3
    reasons = {w.row: w.reason for w in result.warnings}
    assert "two passport numbers in one row (K7000001, K7999999)" in reasons[2]
    assert "makes the person 32 on 2024-06-01, the row says age 51" in reasons[3]
    assert 4 not in reasons
    people = _people(ws)
    assert {"Karim Oudaya", "Yannis Verbeke", "Driss Lamouri"} <= set(people)


def test_an_unknown_document_type_is_named_with_a_suggestion() -> None:
    with pytest.raises(MappingError, match="'pasport' is not a document type.*'passport'"):
        parse_mapping(MEMBERS.format(extra="    document_type: pasport\n"), path="m.yaml")


def test_import_graph_keeps_every_distinct_node_name_a_distinct_node(
    ws: Workspace, tmp_path: Path
) -> None:
    path = tmp_path / "edges.csv"
    path.write_text(
        "source,target\n"
        "Dani Chandra,Chandra\n"
        "Chandra,Omar Zeroual\n"
        "Dani Chandra,Lena Marsh\n"
        "Mohamed Benali,Mohammed Benali\n"
        "Omar Zeroual,Mohamed Benali\n",
        encoding="utf-8",
    )
    import_graph(ws, path, EdgeListOptions())
    names = sorted(e.name for e in ws.entities())
    assert names == sorted(
        [
            "Chandra",
            "Dani Chandra",
            "Lena Marsh",
            "Mohamed Benali",
            "Mohammed Benali",
            "Omar Zeroual",
        ]
    )


def _rec(rid: str) -> PersonRecord:
    return PersonRecord(rid, "d", 2, rid, "Omar Haddad", "m" + rid)


def test_one_weak_link_does_not_join_two_groups_of_records() -> None:
    recs = [_rec(i) for i in ("a1", "a2", "a3", "b1", "b2", "b3")]

    def link(a: str, b: str, p: float) -> RecordLink:
        return RecordLink(a, b, RULE_MODEL, 10.0, p)

    inside = [
        link(x, y, 0.999) for g in ("a", "b") for x, y in ((g + "1", g + "2"), (g + "2", g + "3"))
    ]
    clusters, _, held = cluster_links(recs, [*inside, link("a3", "b1", 0.96)])
    assert len({clusters[r.id] for r in recs}) == 2
    assert "one weak link" in held[0].reasons[-1].level
    # two of the three records of one group linked into the other: one person
    clusters, _, held = cluster_links(
        recs, [*inside, link("a3", "b1", 0.96), link("a2", "b2", 0.97)]
    )
    assert len({clusters[r.id] for r in recs}) == 1 and not held


def test_twins_sharing_a_home_and_a_date_of_birth_stay_two_people() -> None:
    from threadline.resolve.linkage import DuckDBRecordLinker
    from threadline.resolve.records import link_records

    def twin(rid: str, given: str) -> PersonRecord:
        return PersonRecord(
            rid,
            "d",
            int(rid[1:]) + 1,
            rid,
            f"{given} Benouardi",
            "m" + rid,
            dob="1976-03-22",
            address="Chaussee de Gand 231, 6000 Charleroi",
            phone="+32478697414",
        )

    result = link_records(
        [twin("r1", "Ayyoub"), twin("r2", "Abdelkadir")],
        DuckDBRecordLinker(threads=1),
        threshold=0.5,
    )
    assert result.clusters["r1"] != result.clusters["r2"] and result.links == []
    (near,) = result.near
    assert any(r.comparison == "veto" and "twins" in r.level for r in near.reasons)
