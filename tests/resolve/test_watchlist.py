"""Watchlists: reading the UN list format (a small fictional list and the real one) and
CSV lists, bad rows named and skipped, and screening: hits with their reasons, no hit
for relatives, low-quality or kunya-only aliases, and nationality changing nothing."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from threadline.errors import InputError
from threadline.ingest.watchlists import (
    import_watchlist,
    parse_csv_list,
    parse_un_xml,
    read_watchlist,
)
from threadline.model import Entity
from threadline.model.watchlist import (
    AKA,
    FKA,
    GOOD,
    LOW,
    ORIGINAL_SCRIPT,
    ListedName,
    WatchlistEntry,
)
from threadline.resolve.names import MATCH_THRESHOLD
from threadline.resolve.watchlist import compare_org_names, is_weak_name, screen
from threadline.store import open_workspace
from threadline.store.watchlists import watchlist_entries


def person(eid: str, name: str, *aliases: str, **data: str) -> Entity:
    return Entity(eid, "Person", name, [name], list(aliases), [], data=dict(data))


def org(eid: str, name: str) -> Entity:
    return Entity(eid, "Organization", name, [name], [], [])


@pytest.fixture
def entries(fictional_list: Path) -> list[WatchlistEntry]:
    return read_watchlist(fictional_list).entries


def test_fictional_un_list_is_read_and_the_bad_row_named(fictional_list: Path) -> None:
    wl = read_watchlist(fictional_list)
    assert [e.entry_id for e in wl.entries] == ["TSi.001", "TSi.002", "TSi.003", "TSe.001"]
    assert len(wl.problems) == 1
    assert str(fictional_list) in wl.problems[0] and "row " in wl.problems[0]
    assert "TSi.004" in wl.problems[0]
    first = wl.entries[0]
    assert first.name == "YOUSSEF EL MANSOURI" and first.schema == "Person"
    assert [(n.name, n.quality) for n in first.names[1:]] == [
        ("Yusuf al-Mansuri", GOOD),
        ("Abu Bilal", GOOD),
        ("Karim Dahmani", LOW),
    ]  # the empty placeholder alias is left out
    assert first.data["nationalities"] == ["Testland"]
    assert first.data["dates_of_birth"] == ["1984-03-02"]
    assert [n.quality for n in wl.entries[3].names[1:]] == [AKA, FKA]


def test_screening_finds_a_transliteration_of_a_listed_name(
    entries: list[WatchlistEntry],
) -> None:
    [hit] = screen([person("e1", "Yousef el-Mansouri")], entries)
    assert (hit.entity, hit.entry_id, hit.list) == ("e1", "TSi.001", "UN SC Consolidated List")
    assert hit.entry_name == "YOUSSEF EL MANSOURI"
    assert hit.score >= MATCH_THRESHOLD
    assert "yousef=youssef" in hit.why and "mansouri" in hit.why


def test_screening_uses_the_entity_aliases(entries: list[WatchlistEntry]) -> None:
    [hit] = screen([person("e2", "Omar Zeroual", "Tareq Benhadi")], entries)
    assert hit.entry_id == "TSi.002"
    assert "'Tareq Benhadi'" in hit.why


def test_no_hit_for_a_brother_or_a_stranger(entries: list[WatchlistEntry]) -> None:
    people = [person("e3", "Nabil Ouardighi"), person("e4", "Anna Verlinde")]
    assert screen(people, entries) == []


def test_kunya_only_alias_gives_no_hit(entries: list[WatchlistEntry]) -> None:
    # "Abu Bilal" is a Good-quality alias of TSi.001, but a bare kunya
    assert is_weak_name(entries[0].names[2])
    assert screen([person("e5", "Abu Bilal")], entries) == []
    assert screen([person("e6", "Abu Bilal al-Tarabulsi")], entries) == []


def test_low_quality_alias_hits_alone_only_word_for_word(entries: list[WatchlistEntry]) -> None:
    assert screen([person("e7", "Kareem Dahmany")], entries) == []  # a variant: no hit
    [hit] = screen([person("e7", "Karim Dahmani")], entries)  # the same name: a weak hit
    assert hit.entry_id == "TSi.001"
    assert "weak: only a low-quality alias matches" in hit.why
    # with a strong name matching too, the hit says the low alias also matched
    [hit] = screen([person("e8", "Youssef el-Mansouri", "Karim Dahmani")], entries)
    assert "low alias 'Karim Dahmani'" in hit.why and "alone would not be a hit" in hit.why


def test_nationality_changes_nothing_in_screening(entries: list[WatchlistEntry]) -> None:
    people = [
        person("e1", "Yousef el-Mansouri", nationality="Testland"),
        person("e2", "Tareq Benhadi", nationality="Elsewhere"),
        person("e3", "Nabil Ouardighi", nationality="Otherland"),
    ]
    before = screen(people, entries)
    changed = copy.deepcopy(entries)
    for e in changed:
        e.data["nationalities"] = ["Nowhere"]
        e.data.pop("dates_of_birth", None)
    for p in people:
        p.data["nationality"] = "Somewhere else"
    after = screen(people, changed)
    assert before and [(h.entity, h.entry_id, h.score, h.why) for h in before] == [
        (h.entity, h.entry_id, h.score, h.why) for h in after
    ]


def test_a_persons_one_word_names_do_not_hit_beside_a_full_name() -> None:
    listed = WatchlistEntry("L", "M1", "Person", "RAHMAT", [ListedName("RAHMAT")])
    # "Rahmat" alone is the listed mononym, but this person is Nadia Rahmat
    namesake = Entity("e9", "Person", "Nadia Rahmat", ["Nadia Rahmat", "Rahmat"], [], [])
    assert screen([namesake], [listed]) == []
    only = Entity("e10", "Person", "Rahmat", ["Rahmat"], [], [])
    assert [h.entry_id for h in screen([only], [listed])] == ["M1"]


def test_a_son_is_no_hit_for_his_father() -> None:
    son = WatchlistEntry(
        "L",
        "S1",
        "Person",
        "NASSER KHALIL MUHAMMAD BIN TAHER",
        [ListedName("NASSER KHALIL MUHAMMAD BIN TAHER")],
    )
    assert screen([person("e11", "Khalil bin Taher")], [son]) == []
    assert [h.entry_id for h in screen([person("e12", "Nasser bin Taher")], [son])] == ["S1"]


def test_an_alias_string_with_several_names_is_split_into_them() -> None:
    xml = """<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>
      <DATAID>9</DATAID><FIRST_NAME>NADIR</FIRST_NAME><SECOND_NAME>HADDOU</SECOND_NAME>
      <REFERENCE_NUMBER>TSi.009</REFERENCE_NUMBER>
      <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY>
        <ALIAS_NAME>نادر حدو (Nadir Haddu; Nader Haddou)</ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY>
        <ALIAS_NAME>Nadir Hadou (original script: Надир Хаду)</ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY><ALIAS_NAME>Crescent (Sharjah)</ALIAS_NAME>
      </INDIVIDUAL_ALIAS>
    </INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>"""
    [entry] = parse_un_xml(xml.encode(), source="t.xml").entries
    names = [(n.name, n.kind, n.quality) for n in entry.names]
    assert names == [
        ("NADIR HADDOU", "primary", GOOD),
        ("نادر حدو", ORIGINAL_SCRIPT, GOOD),
        ("Nadir Haddu", "alias", GOOD),
        ("Nader Haddou", "alias", GOOD),
        ("Nadir Hadou", "alias", LOW),
        ("Надир Хаду", ORIGINAL_SCRIPT, LOW),
        ("Crescent (Sharjah)", "alias", GOOD),  # a qualifier in the same script stays
    ]
    [hit] = screen([person("e13", "Nader Haddou")], [entry])
    assert hit.matched_name in ("Nader Haddou", "NADIR HADDOU", "Nadir Haddu")


def test_notes_in_a_listed_name_are_kept_beside_the_name(tmp_path: Path) -> None:
    """A list writes notes into its alias strings, in brackets or at the end: the alias
    is the name alone, the note stays on it, a bracketed part that is no note (a
    qualifier, an acronym, a variant) stays in the name, and screening sees names only."""
    xml = """<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>
      <DATAID>7</DATAID><FIRST_NAME>TAREK</FIRST_NAME><SECOND_NAME>BENALI</SECOND_NAME>
      <REFERENCE_NUMBER>TSi.007</REFERENCE_NUMBER>
      <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY>
        <ALIAS_NAME>Tarek Benaly (previously listed as)</ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY>
        <ALIAS_NAME>Tarik Ben Aly (false identity related to Zentrian passport 0451)</ALIAS_NAME>
      </INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY>
        <ALIAS_NAME>Tarek Selmi, born 2 Feb. 1961 (Zentrian passport no.0123, issued 1 May
        2010)</ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY>
        <ALIAS_NAME>Tarek Salmi born in 1961</ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY>Low</QUALITY><ALIAS_NAME>ABU NOUR (COMBAT NAME)</ALIAS_NAME>
      </INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY>
        <ALIAS_NAME>Tarek Benali Selmi, II (second)</ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY>
        <ALIAS_NAME>Tarek Benali (Binali)</ALIAS_NAME></INDIVIDUAL_ALIAS>
      <INDIVIDUAL_ALIAS><QUALITY>Good</QUALITY>
        <ALIAS_NAME>) Tareq Benaali</ALIAS_NAME></INDIVIDUAL_ALIAS>
    </INDIVIDUAL></INDIVIDUALS><ENTITIES><ENTITY>
      <DATAID>8</DATAID><FIRST_NAME>WADI LIONS FRONT</FIRST_NAME>
      <REFERENCE_NUMBER>TSe.008</REFERENCE_NUMBER>
      <ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY>
        <ALIAS_NAME>جبهة أسود الوادي (Wadi Lions Front (WLF))</ALIAS_NAME></ENTITY_ALIAS>
      <ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY>
        <ALIAS_NAME>أسود الوادي (original script); the Lions of the Wadi</ALIAS_NAME></ENTITY_ALIAS>
      <ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY>
        <ALIAS_NAME>كتيبة الوادي (Wadi Battalion - sub-unit name)</ALIAS_NAME></ENTITY_ALIAS>
      <ENTITY_ALIAS><QUALITY>a.k.a.</QUALITY>
        <ALIAS_NAME>Crescent Wadi Trading (Sharjah) (martyrs)</ALIAS_NAME></ENTITY_ALIAS>
    </ENTITY></ENTITIES></CONSOLIDATED_LIST>"""
    person_entry, org_entry = parse_un_xml(xml.encode(), source="t.xml").entries
    said = [(n.name, n.kind, n.note) for n in person_entry.names[1:]]
    assert said == [
        ("Tarek Benaly", "alias", "previously listed as"),
        ("Tarik Ben Aly", "alias", "false identity related to Zentrian passport 0451"),
        ("Tarek Selmi", "alias", "born 2 Feb. 1961 (Zentrian passport no.0123, issued 1 May 2010)"),
        ("Tarek Salmi", "alias", "born in 1961"),
        ("ABU NOUR", "alias", "COMBAT NAME"),
        ("Tarek Benali Selmi, II", "alias", "second"),
        ("Tarek Benali (Binali)", "alias", ""),  # a variant spelling is no note
        ("Tareq Benaali", "alias", ""),  # the list's stray bracket is gone
    ]
    assert [(n.name, n.kind, n.note) for n in org_entry.names[1:]] == [
        ("جبهة أسود الوادي", ORIGINAL_SCRIPT, ""),
        ("Wadi Lions Front (WLF)", "alias", ""),  # an acronym inside a bracket stays
        ("أسود الوادي", ORIGINAL_SCRIPT, ""),  # "(original script)" is the kind, no note
        ("the Lions of the Wadi", "alias", ""),
        ("كتيبة الوادي", ORIGINAL_SCRIPT, ""),
        ("Wadi Battalion", "alias", "sub-unit name"),
        ("Crescent Wadi Trading (Sharjah)", "alias", "martyrs"),
    ]
    [hit] = screen([person("e14", "Tarek Selmi")], [person_entry])
    assert hit.matched_name == "Tarek Selmi"
    assert "born" not in hit.why and "passport" not in hit.why
    # the note is stored with the name and read back
    path = tmp_path / "list.xml"
    path.write_text(xml, encoding="utf-8")
    ws = open_workspace(tmp_path / "ws", create=True)
    import_watchlist(ws, path)
    stored = {e.entry_id: e for e in watchlist_entries(ws)}["TSi.007"]
    assert stored.names == person_entry.names


def test_organisations_are_screened_against_listed_entities(
    entries: list[WatchlistEntry],
) -> None:
    hits = screen([org("o1", "North Harbour Brotherhood"), org("o2", "NHB")], entries)
    assert sorted((h.entity, h.entry_id) for h in hits) == [("o1", "TSe.001"), ("o2", "TSe.001")]
    assert screen([org("o3", "North Harbour Rowing Club")], entries) == []
    # a person is never screened against an organisation entry, nor the reverse
    assert screen([person("p1", "North Harbour Brotherhood")], entries) == []


def test_org_names_compare_word_by_word() -> None:
    assert compare_org_names("al-Qaeda", "AL-QAIDA")[0] >= MATCH_THRESHOLD
    assert compare_org_names("Islamic State", "Islamic State in Yemen")[0] < MATCH_THRESHOLD
    assert compare_org_names("NHB", "North Harbour Brotherhood")[0] >= MATCH_THRESHOLD


def test_csv_list_bad_rows_are_named_and_the_rest_imported() -> None:
    data = (
        b"id,name,aliases,weak_aliases,type,date_of_birth\n"
        b"C1,Karim Fadili,Kareem Fadhili;K. Fadili,Abu Yahya,person,1980\n"
        b"C2,,No Name,,person,\n"
        b'C3,"Broken, row\n'
        b"C1,Duplicate Id,,,person,\n"
        b"C4,Meerwijk Brotherhood,Meerwijk Group,,organization,\n"
        b"C5,Somebody,,,spaceship,\n"
    )
    wl = parse_csv_list(data, source="list.csv", name="Test CSV")
    assert [e.entry_id for e in wl.entries] == ["C1", "C4"]
    assert wl.entries[0].data == {"date_of_birth": "1980"}
    assert [(n.name, n.quality) for n in wl.entries[0].names] == [
        ("Karim Fadili", GOOD),
        ("Kareem Fadhili", GOOD),
        ("K. Fadili", GOOD),
        ("Abu Yahya", LOW),
    ]
    assert wl.entries[1].schema == "Organization"
    rows = " | ".join(wl.problems)
    assert "list.csv, row 3: skipped: the name is empty" in rows
    assert "list.csv, row 4: skipped: a quote opened in this row is never closed" in rows
    assert "list.csv, row 5: skipped: duplicate id C1" in rows
    assert "list.csv, row 7: skipped: unknown type 'spaceship'" in rows


def test_a_csv_list_separated_by_semicolons_is_read() -> None:
    data = b"id;name;aliases\nS1;Karim Fadili;Kareem Fadhili|K. Fadili\n"
    (entry,) = parse_csv_list(data, source="list.csv", name="Semicolons").entries
    assert [n.name for n in entry.names] == ["Karim Fadili", "Kareem Fadhili", "K. Fadili"]


def test_a_csv_without_a_name_column_is_refused() -> None:
    with pytest.raises(InputError, match="no 'name' column"):
        parse_csv_list(b"id,alias\n1,x\n", source="bad.csv", name="bad")


def test_real_un_list_is_read(un_list: Path) -> None:
    wl = read_watchlist(un_list)
    persons = [e for e in wl.entries if e.schema == "Person"]
    assert (len(persons), len(wl.entries) - len(persons)) == (684, 193)
    assert wl.problems == []
    by_id = {e.entry_id: e for e in wl.entries}
    binalshibh = by_id["QDi.081"]
    qualities = {(n.name, n.kind, n.quality) for n in binalshibh.names}
    assert ("Bin Al Shibh, Ramzi", "alias", GOOD) in qualities
    assert ("Ramzi Omar", "alias", LOW) in qualities
    assert any(n.kind == ORIGINAL_SCRIPT for n in binalshibh.names)
    assert binalshibh.data["nationalities"] == ["Yemen"]
    # a Good alias written "Family, Given" still screens
    hits = screen([person("e1", "Ramzi Binalshibh")], wl.entries)
    assert "QDi.081" in {h.entry_id for h in hits}


@pytest.mark.slow
def test_seeds_screened_against_the_un_list(
    seeds_run: dict[str, Any], gold: dict[str, Any], un_list: Path
) -> None:
    """Every seed person the UN list names word for word (under any of its names and
    transliterations) is found, and no other seed person is hit (no namesake)."""
    from threadline.model.names import tokens
    from threadline.store import open_workspace

    entries = [e for e in read_watchlist(un_list).entries if e.schema == "Person"]
    listed_forms = {
        tuple(tokens(n.name)): e.entry_id
        for e in entries
        for n in e.names
        if len(tokens(n.name)) >= 2
    }
    listed: dict[str, str] = {}  # gold person's canonical name -> entry id
    for p in gold["persons"]:
        for form in [p["canonical"], *p["mentions"], *p.get("aliases", [])]:
            if tuple(tokens(form)) in listed_forms:
                listed[p["canonical"]] = listed_forms[tuple(tokens(form))]
    assert len(listed) >= 4
    with open_workspace(seeds_run["workspace"]) as ws:
        persons = [e for e in ws.entities() if e.schema == "Person"]
    hit_pairs = {(h.entity, h.entry_id) for h in screen(persons, entries)}
    for canonical, entry_id in listed.items():
        ids = {p.id for p in persons if canonical in (p.name, *p.names)}
        assert any((i, entry_id) in hit_pairs for i in ids), (canonical, entry_id)
    assert {eid for _, eid in hit_pairs} <= set(listed.values()), "a namesake was hit"
