"""Scoring of ``threadline eval`` by the gold README's rule ("How it is scored", "Added with dev.json").

The written case of ``tests/evaluate/case.py`` holds every situation the rule
distinguishes; ``test_parity.py`` checks the same figures against score.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.evaluate.case import GOLD, TEXTS, evidence, flawed_export, perfect_export, without

from threadline.evaluate import (
    document_texts,
    fold_name,
    format_report,
    gold_pairs,
    load_gold,
    map_documents,
    report_to_dict,
    restrict,
    score,
)
from threadline.evaluate.report import EvalReport
from threadline.evaluate.scoring import claim_numbers, topic_numbers, type_class

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
TEXT_OF = {f"doc-{name[:3]}": text for name, text in TEXTS.items()}


def shared_gold(name: str) -> dict[str, Any]:
    path = SHARED / "gold" / f"{name}.json"
    if not path.exists():
        pytest.skip(f"{path} is absent (gold lives in ../shared)")
    return load_gold(path)


def scored(export: dict[str, Any], gold: dict[str, Any] = GOLD) -> EvalReport:
    return score(export, gold, texts=TEXT_OF)


def person(eid: str, *names: str, **extra: Any) -> dict[str, Any]:
    return {"id": eid, "schema": "Person", "name": names[0], "names": list(names[1:]), **extra}


# --- name folding -------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Zoë Haddou", "zoe haddou"),
        ("“Karim Haddou”", "karim haddou"),
        ("‘Abu Zayd’,", "abu zayd"),
        ("Haddou’s", "haddou"),
        ("Haddou's", "haddou"),
        ("“Haddou’s”", "haddou's"),  # a closing quote keeps the possessive
        ("Haddou's.", "haddou's"),  # one possessive, only at the very end
        ("Haddou’S", "haddou's"),
        ("Tide’s group", "tide's group"),
        ("  Abdelkrim \n  A. ", "abdelkrim a"),
        ("Islamic State (ISIS)", "islamic state (isis"),  # brackets are stripped at the ends
        ("(ISIS)", "isis"),
        ("ＨＡＤＤＯＵ", "haddou"),
        ("„Haddou“", "„haddou"),  # only ‘ ’ “ ” count as curly quotes
    ],
)
def test_fold_name_follows_the_gold_readme(raw: str, folded: str) -> None:
    assert fold_name(raw) == folded


# --- the gold file ------------------------------------------------------------


def test_load_gold_rejects_a_file_that_is_not_gold_and_names_it(tmp_path: Path) -> None:
    export_file = tmp_path / "analysis.json"
    export_file.write_text(json.dumps({"threadline_export": 1, "entities": []}), encoding="utf-8")
    with pytest.raises(ValueError, match=r"analysis\.json.*not a gold file.*'persons'"):
        load_gold(export_file)
    export_file.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match=r"analysis\.json.*not UTF-8 JSON"):
        load_gold(export_file)


def test_seeds_gold_has_the_87_tie_pairs_its_readme_counts() -> None:
    pairs = gold_pairs(shared_gold("seeds"))
    assert len(pairs) == 87
    assert all(len(pair) == 2 for pair in pairs)


def test_gold_pairs_are_person_and_organisation_pairs_of_tie_types() -> None:
    pairs = gold_pairs(GOLD)
    assert len(pairs) == 8  # not alias_of (a == b), not located_in (a place)
    assert pairs[frozenset({"karim", "brigade"})] == ("member_of", "leader_of")
    assert pairs[frozenset({"tarik", "brigade"})] == ("funded",)


@pytest.mark.parametrize(
    ("same", "different"),
    [
        (("associate", "recruited_by"), "family"),
        (("member_of", "leader_of"), "recruited_by"),
        (("communicated_with", "shared_residence", "travelled_with"), "associate"),
        (("funded", "other", "participated_in", "no_such_type"), "family"),
    ],
)
def test_type_classes_of_the_typed_figures(same: tuple[str, ...], different: str) -> None:
    assert len({type_class(t) for t in same}) == 1
    assert type_class(different) != type_class(same[0])


# --- perfect and empty exports ---------------------------------------------------


@pytest.mark.parametrize("gold_name", ["case", "seeds", "dev"])
def test_perfect_export_scores_one_everywhere(gold_name: str) -> None:
    gold = GOLD if gold_name == "case" else shared_gold(gold_name)
    f = score(perfect_export(gold), gold).figures()
    ones = [k for k, v in f.items() if isinstance(v, float) and k != "evidence_exact"]
    assert {k: f[k] for k in ones} == dict.fromkeys(ones, 1.0)
    assert ("role_accuracy" in f) == (gold_name != "seeds")  # seeds.json gives no roles
    assert f["person_split"] == f["person_overmerged"] == f["person_noise"] == 0
    assert f["persons_missed"] == f["aliases_missed"] == f["person_person_ties_missed"] == []
    assert f["numeric_conflicts_found"] == f["numeric_conflicts_gold"] > 0


def test_empty_export_scores_zero_not_an_error() -> None:
    f = scored({}).figures()
    assert (f["person_recall"], f["person_precision"], f["tie_precision_strict"]) == (0, 0, 0)
    assert (f["evidence_checked"], f["evidence_exact"], f["persons_exported"]) == (0, 0, 0)
    assert f["persons_missed"] == sorted(p["canonical"] for p in GOLD["persons"][:5])


# --- persons ----------------------------------------------------------------------

WEIGHT_GOLD = {
    "persons": [
        {"id": "ali", "canonical": "Ali Hassan", "mentions": ["Hassan", "Ali", "Abu Omar"],
         "aliases": []},
        {"id": "omar", "canonical": "Omar Hassan", "mentions": ["Hassan"],
         "aliases": ["Abu Omar"]},
    ],
    "organizations": [],
    "relations": [],
}  # fmt: skip


@pytest.mark.parametrize(
    ("names", "counted_as", "over_merged"),
    [
        (("Ali Hassan",), "ali", False),
        (("Hassan",), "ali", True),  # one word of both, 1 against 1: first in the gold file
        (("Hassan", "Ali"), "ali", False),  # 2 against 1
        (("Hassan", "Omar Hassan"), "omar", False),  # the full name weighs 3: 4 against 1
        (("Ali", "Omar Hassan"), "omar", False),  # 3 beats 1
        (("Ali Hassan", "Omar Hassan"), "ali", True),  # 3 against 3: the first named
        (("Omar Hassan", "Ali Hassan"), "omar", True),
        (("Abu Omar",), "ali", True),  # one full name of both: 3 against 3
        (("Abu Omar", "Ali Hassan"), "ali", True),  # 6 against 3: both have 3 or more
        (("Hassan", "Hassan", "Ali"), "ali", False),  # a name listed twice votes twice: 3 against 2
        (("Hassan", "Hassan", "Hassan", "Ali"), "ali", True),  # 4 against 3
        (("Hassan Ali",), None, False),
    ],
)
def test_heaviest_gold_person_wins_and_near_ties_are_over_merged(
    names: tuple[str, ...], counted_as: str | None, over_merged: bool
) -> None:
    p = score({"entities": [person("e1", *names)]}, WEIGHT_GOLD).persons
    found = {"ali", "omar"} - {g.gold_id for g in p.missed}
    assert found == ({counted_as} if counted_as else set())
    assert [m.counted_as for m in p.over_merged] == ([counted_as] if over_merged else [])


def test_persons_split_over_merged_noise_and_false_are_counted_and_listed() -> None:
    report = scored(flawed_export())
    p = report.persons
    assert {s.gold_id: s.entity_ids for s in p.split} == {
        "karim": ("e-karim", "e-karim2"),
        "yassin": ("e-yassin", "e-benali"),  # bare "Benali": Yassin and Tarik tie, Yassin first
    }
    assert {m.entity_id: m.gold_ids for m in p.over_merged} == {
        "e-benali": ("yassin", "tarik"),
        "e-mixed": ("vermeer", "nadia"),
    }
    assert [(n.entity_id, n.noise) for n in p.noise] == [
        ("e-share", "SHARE THIS ARTICLE"),
        ("e-handle", "TideWatcher99"),
    ]
    assert [e.entity_id for e in p.false] == ["e-share", "e-handle", "e-depot"]
    # the optional reporter counts neither way: 10 persons exported, 9 judged, 6 right
    assert (p.exported, p.precision) == (10, round(6 / 9, 4))
    assert [g.gold_id for g in p.missed] == ["nadia"]  # only inside the over-merged entity
    assert p.recall == 0.8


def test_optional_persons_are_neither_required_nor_counted_against_precision() -> None:
    export = without(perfect_export(GOLD), "claes")
    assert score(export, GOLD).persons.recall == 1.0
    alone = score({"entities": [person("e", "Pieter Claes")]}, GOLD).persons
    assert (alone.gold, alone.exported, alone.precision, alone.false) == (5, 1, 0.0, ())


def test_seeds_photographers_are_not_required() -> None:
    seeds = shared_gold("seeds")
    photographers = [p for p in seeds["persons"] if "photographer" in " ".join(p["roles"])]
    assert len(photographers) == 4
    export = without(perfect_export(seeds), *(p["id"] for p in photographers))
    p = score(export, seeds).persons
    assert (p.recall, p.gold) == (1.0, len(seeds["persons"]) - 4)


def test_dev_journalists_are_optional_but_their_roles_are_judged() -> None:
    dev = shared_gold("dev")
    reporter = next(p for p in dev["persons"] if p.get("optional"))
    export = {"entities": [person("e", reporter["canonical"])]}
    report = score(export, dev)
    assert report.persons.precision == 0.0  # nothing judged: 0.0 as the rule writes it
    assert report.roles is not None and (report.roles.accuracy, report.roles.coverage) == (0.0, 0.0)
    export["entities"][0]["role"] = "journalist"
    assert score(export, dev).roles.accuracy == 1.0  # type: ignore[union-attr]


# --- roles and aliases ----------------------------------------------------------------


def test_roles_are_judged_per_exported_person_and_network_both_ways() -> None:
    roles = scored(flawed_export()).roles
    assert roles is not None
    # judged: both Karims, Yassin, Tarik, Benali (for Yassin), the mix (for Vermeer), Claes
    assert (roles.accuracy, roles.coverage) == (round(4 / 7, 4), round(5 / 7, 4))
    # said network: Karim, Yassin and a comment handle; gold network: Karim, Yassin, Tarik
    assert (roles.network_precision, roles.network_recall) == (round(2 / 3, 4), round(2 / 3, 4))
    assert "Tarik Benali: no role, gold network" in roles.wrong


def test_alias_counts_only_beside_the_canonical_name_and_handles_are_aside() -> None:
    export = without(perfect_export(GOLD), "karim")
    export["entities"].append(person("e-zayd", "Abu Zayd", "Haddou"))
    a = score(export, GOLD).aliases
    assert [(x.gold_id, x.alias) for x in a.missed] == [("karim", "Abu Zayd")]
    assert a.recall == 0.0  # "@karimh" is a handle: not counted
    assert scored(flawed_export()).aliases.recall == 1.0


def test_organisations_are_matched_by_schema_and_folded_name() -> None:
    export = without(perfect_export(GOLD), "brigade", "police")
    export["entities"] += [
        {"id": "o1", "schema": "LegalEntity", "name": "“Black Tide Brigade”,"},
        {"id": "o2", "schema": "Person", "name": "Federal Police"},  # not an organisation
    ]
    o = score(export, GOLD).organizations
    assert ([g.gold_id for g in o.missed], o.recall) == (["police"], 0.5)


# --- ties ---------------------------------------------------------------------------


def test_tie_figures_of_the_flawed_export() -> None:
    t = scored(flawed_export()).ties
    assert t.gold == 8
    # every tie between gold-matched ends, inferred too; junk, address and missing ends aside
    assert (t.exported_mapped, t.unmapped_endpoint) == (9, 3)
    assert (t.recall, t.precision) == (0.875, round(7 / 9, 4))
    # stated ties between exported actors: the two junk pairs count against precision
    assert (t.stated_pairs, t.precision_strict, t.recall_stated) == (10, 0.7, 0.875)
    assert [(p.a_name, p.b_name, p.exported_types) for p in t.false_stated] == [
        ("Ilse Vermeer", "Karim Haddou", ("family",)),  # the mix stands for Vermeer
        ("Karim Haddou", "Riverton", ("associate",)),  # a junk person
        ("Riverton", "Yassin Benali", ("associate",)),
    ]
    assert [(p.a_name, p.b_name) for p in t.missed_stated] == [("Karim Haddou", "Nadia Haddou")]
    # one of 7 stated ties on gold pairs has a type of another class (associate on a contact)
    assert t.typed_precision == round(6 / 7, 4)
    assert [(m.a_name, m.exported_types) for m in t.mistyped] == [("Karim Haddou", ("associate",))]
    # directed: Karim member_of Brigade right, Brigade member_of Yassin wrong, the recruiter
    # pointing at the recruit wrong, Tarik -> Brigade "other" is not a directed type; the
    # Vermeer member_of Federal Police (through the mix) right
    assert t.direction_accuracy == 0.5
    assert t.person_person_recall == 0.75 and t.person_person_missed == ("karim — nadia",)


def test_inferred_ties_count_only_in_the_all_ties_figures() -> None:
    hint = {"id": "t", "source": "karim", "target": "yassin", "type": "communicated_with",
            "inferred": True}  # fmt: skip
    export = {**perfect_export(GOLD), "ties": [hint]}
    t = score(export, GOLD).ties
    assert (t.recall, t.recall_stated, t.stated_pairs, t.precision_strict) == (0.125, 0, 0, 0)
    hint["inferred"] = False
    t = score(export, GOLD).ties
    assert (t.recall_stated, t.precision_strict, t.typed_precision) == (0.125, 1.0, 1.0)


def test_two_junk_entities_are_two_false_pairs_even_beside_one_gold_person() -> None:
    entities = [
        person("k1", "Karim Haddou"),
        person("j1", "Depot Street"),
        person("j2", "Depot Street"),
    ]
    ties = [{"source": "k1", "target": j, "type": "associate"} for j in ("j1", "j2")]
    t = score({"entities": entities, "ties": ties}, GOLD).ties
    assert (t.stated_pairs, t.precision_strict, t.unmapped_endpoint) == (2, 0.0, 2)


# --- contradictions -------------------------------------------------------------------


def test_topic_numbers_are_the_first_number_of_each_value() -> None:
    assert topic_numbers(["at least 4", "6", "4 (police)"]) == [4, 6]
    assert topic_numbers(["2024-03-02", "March 3, 2024"]) == [2024, 3]
    assert topic_numbers(["1,200 people", "dozens"]) == [1200]
    assert claim_numbers(12.5) == {12, 5} and claim_numbers(None) == set()


def test_contradictions_need_two_topic_numbers_of_one_quantity_from_the_topic_documents() -> None:
    export = flawed_export()
    c = scored(export).contradictions
    assert (c.found, c.total) == (2, 2)  # the third topic has no numbers
    assert [f.found_by for f in c.found_topics] == ["e-fire deaths", "e-fire date"]

    # the same values split over two quantities find nothing
    export["claims"][1]["quantity"] = "injured"
    assert scored(export).contradictions.found == 1
    # a claim from a document the topic does not cite does not count
    export = flawed_export()
    export["claims"][1]["evidence"] = evidence("Police put the toll at 4")  # k03: 4 again
    export["claims"][1]["value"] = 6
    found = scored(export).contradictions
    assert found.found == 2  # k03 is one of the topic's documents
    export["claims"][1]["evidence"] = [{"document": "doc-z99", "start": 0, "end": 0, "quote": ""}]
    assert [m.topic for m in scored(export).contradictions.missed_topics] == [
        "deaths in the depot fire"
    ]


# --- documents and evidence -------------------------------------------------------------


def test_documents_map_to_gold_ids_by_file_name_prefix() -> None:
    mapped = map_documents(flawed_export(), GOLD)
    assert mapped == {"doc-k01": "k01", "doc-k02": "k02", "doc-k03": "k03"}  # not z99


def test_evidence_quotes_are_checked_against_the_document_files(tmp_path: Path) -> None:
    export = flawed_export()
    ev = scored(export).evidence
    assert (ev.checked, ev.texts_found) == (32, 3)
    assert ev.exact == round(1 - 1 / 32, 4)  # the spoiled quote
    for name, text in TEXTS.items():
        (tmp_path / name).write_text(text.replace("depot", "DEPOT"), encoding="utf-8")
    texts = document_texts(export, tmp_path)  # files beat the text the export carries
    assert score(export, GOLD, texts=texts).evidence.exact < ev.exact
    assert document_texts(export)["doc-k01"] == TEXTS["k01_depot-fire.txt"]


def test_restrict_cuts_gold_and_export_to_some_documents() -> None:
    full = flawed_export()
    gold, export = restrict(GOLD, full, ["k02", "k03"])
    assert {p["id"] for p in gold["persons"]} == {"karim", "tarik", "nadia", "vermeer", "claes"}
    assert {d for p in gold["persons"] for d in p["docs"]} == {"k02", "k03"}
    assert [r["doc"] for r in gold["relations"]] == ["k02"] * 4 + ["k03"] * 2
    assert [t["topic"] for t in gold["contradictions"]] == ["deaths in the depot fire"]
    assert [d["id"] for d in export["documents"]] == ["doc-k02", "doc-k03"]
    kept = {e["id"] for e in export["entities"]}
    assert kept == {"e-mixed", "e-claes", "e-court"}  # first named in k02 or k03
    assert [(t["source"], t["target"]) for t in export["ties"]] == [("e-mixed", "e-court")]
    assert [c["id"] for c in export["claims"]] == ["c2", "c4", "c5"]
    assert len(full["entities"]) == 13 and GOLD["relations"][0]["doc"] == "k01"  # inputs untouched


# --- the report ---------------------------------------------------------------------


def test_report_is_json_and_text_with_the_errors_a_user_checks() -> None:
    report = scored(flawed_export())
    data = json.loads(json.dumps(report_to_dict(report)))
    assert list(data)[:4] == [
        "evidence_checked",
        "evidence_exact",
        "evidence_texts_found",
        "persons_gold",
    ]
    assert data["persons_missed"] == ["Nadia Haddou"]
    assert data["details"]["missed_persons"] == [{"gold_id": "nadia", "name": "Nadia Haddou"}]

    text = format_report(report, extra={"casualty_claim_recall": 0.5})
    table = dict(line.split() for line in text.split("\n\n")[0].splitlines())
    assert list(table)[0] == "evidence_checked" and table["evidence_checked"] == "32"
    assert (table["tie_precision_strict"], table["casualty_claim_recall"]) == ("0.7", "0.5")
    assert "persons_missed" not in table  # lists come below the table
    assert "persons_missed (1):\n  Nadia Haddou [nadia]" in text
    assert "noise persons (2):\n  e-share 'SHARE THIS ARTICLE': 'SHARE THIS ARTICLE'" in text


def test_export_of_an_unknown_version_is_refused() -> None:
    with pytest.raises(ValueError, match="threadline_export version 2"):
        score({"threadline_export": 2}, GOLD)
