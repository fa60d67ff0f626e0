"""Scoring of ``threadline eval`` against the gold README's rule ("How it is scored")."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from threadline.evaluate import (
    fold_name,
    format_report,
    gold_pairs,
    load_gold,
    report_to_dict,
    score,
)
from threadline.evaluate.report import EvalReport
from threadline.evaluate.scoring import type_class

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
SEEDS_GOLD = SHARED / "gold" / "seeds.json"
PHOTOGRAPHERS = {"jef_versele", "philippe_wojazer", "sandra_auger", "francois_lenoir"}


@pytest.fixture(scope="module")
def seeds() -> dict[str, Any]:
    if not SHARED.is_dir():
        pytest.skip(f"shared data folder {SHARED.resolve()} is absent (gold lives there)")
    return load_gold(SEEDS_GOLD)


def perfect_export(gold: dict[str, Any]) -> dict[str, Any]:
    """What a flawless tool would export: built from the gold at run time."""
    entities: list[dict[str, Any]] = [
        {
            "id": p["id"],
            "schema": "Person",
            "name": p["canonical"],
            "names": [p["canonical"], *p["mentions"]],
            "aliases": list(p["aliases"]),
        }
        for p in gold["persons"]
    ]
    entities += [
        {
            "id": o["id"],
            "schema": "Organization",
            "name": o["canonical"],
            "names": [o["canonical"], *o["mentions"]],
            "aliases": [],
        }
        for o in gold["organizations"]
    ]
    ties = []
    for i, (pair, types) in enumerate(gold_pairs(gold).items()):
        a, b = sorted(pair)
        kind, detail = ("other", "funded") if types[0] == "funded" else (types[0], "")
        ties.append({"id": f"t{i}", "source": a, "target": b, "type": kind, "detail": detail})
    claims, conflicts = [], []
    for i, topic in enumerate(gold["contradictions"]):
        ids = []
        for j, value in enumerate(topic["values"]):
            claims.append({"id": f"c{i}.{j}", "subject": f"topic{i}", "value": value["value"]})
            ids.append(f"c{i}.{j}")
        conflicts.append({"subject": f"topic{i}", "quantity": "value", "claims": ids})
    return {
        "threadline_export": 1,
        "documents": [],
        "entities": entities,
        "ties": ties,
        "claims": claims,
        "conflicts": conflicts,
    }


def without(export: dict[str, Any], *entity_ids: str) -> dict[str, Any]:
    out = copy.deepcopy(export)
    out["entities"] = [e for e in out["entities"] if e["id"] not in entity_ids]
    return out


def person(eid: str, *names: str, aliases: tuple[str, ...] = ()) -> dict[str, Any]:
    return {"id": eid, "schema": "Person", "name": names[0], "names": list(names),
            "aliases": list(aliases)}  # fmt: skip


# --- name folding -------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Mohammed Belkaïd", "mohammed belkaid"),
        ("Belkaïd", "belkaid"),
        ("“Salah Abdeslam”", "salah abdeslam"),
        ("‘Jihadi John’,", "jihadi john"),
        ("Saleh’s", "saleh"),
        ("Saleh's", "saleh"),
        ("“Saleh’s”.", "saleh"),
        ("Al-Absi’s group", "al-absi's group"),
        ("  Abderamane \n  A. ", "abderamane a"),
        ("Islamic State (ISIS)", "islamic state (isis)"),
        ("(ISIS)", "isis"),
        ("ＡＢＡＡＯＵＤ", "abaaoud"),
    ],
)
def test_fold_name_follows_the_gold_readme(raw: str, folded: str) -> None:
    assert fold_name(raw) == folded


def test_fold_name_makes_spelling_variants_of_the_readme_equal() -> None:
    assert fold_name("Belkaïd") == fold_name("BELKAID")
    assert fold_name("Zerkani’s group") == fold_name("Zerkani's group")


# --- the gold file ------------------------------------------------------------


def test_load_gold_reads_the_seeds_gold(seeds: dict[str, Any]) -> None:
    ids = {p["id"] for p in seeds["persons"]}
    assert {"salah_abdeslam", "najim_laachraoui", "mohammed_belkaid"} <= ids


def test_load_gold_rejects_a_file_that_is_not_gold_and_names_it(tmp_path: Path) -> None:
    export_file = tmp_path / "analysis.json"
    export_file.write_text(json.dumps({"threadline_export": 1, "entities": []}), encoding="utf-8")
    with pytest.raises(ValueError, match=r"analysis\.json.*not a gold file.*'persons'"):
        load_gold(export_file)
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken\.json.*not a gold file"):
        load_gold(broken)


def test_seeds_gold_has_87_tie_pairs(seeds: dict[str, Any]) -> None:
    pairs = gold_pairs(seeds)
    assert len(pairs) == 87
    # the README's own examples: brothers, and funding written as `funded` in the gold
    assert pairs[frozenset({"ibrahim_bakraoui", "khaled_bakraoui"})] == ("family",)
    assert "funded" in pairs[frozenset({"bashar_al_assad", "isis"})]
    # aliases are not pairs: `alias_of` goes from a person to itself
    assert all(len(pair) == 2 for pair in pairs)


# --- a perfect export -----------------------------------------------------------


def test_perfect_export_scores_one_everywhere(seeds: dict[str, Any]) -> None:
    report = score(perfect_export(seeds), seeds)
    p, t = report.persons, report.ties
    assert (p.precision, p.recall) == (1.0, 1.0)
    assert p.gold == len(seeds["persons"]) - len(PHOTOGRAPHERS)
    assert p.split == p.over_merged == p.noise == p.missed == p.false == ()
    assert report.aliases.recall == 1.0
    assert "Soufiane Kayal" in {a.alias for a in report.aliases.found}
    assert "@KyleWOrton" not in {a.alias for a in report.aliases.found}  # handles aside
    assert report.organizations.recall == 1.0
    assert report.organizations.gold == len(seeds["organizations"])
    assert (t.precision, t.recall, t.typed_accuracy) == (1.0, 1.0, 1.0)
    assert (t.matched, t.exported, t.gold) == (87, 87, 87)
    assert t.missed == t.false == t.mistyped == ()
    assert report.contradictions.found == report.contradictions.total == 5


def test_photographers_are_neither_required_nor_counted_against_precision(
    seeds: dict[str, Any],
) -> None:
    export = without(perfect_export(seeds), *PHOTOGRAPHERS)
    report = score(export, seeds)
    assert report.persons.recall == 1.0
    only_photographer = {"entities": [person("e1", "Jef Versele")]}
    alone = score(only_photographer, seeds).persons
    assert (alone.exported, alone.precision, alone.false) == (0, None, ())


def test_optional_gold_person_is_not_required() -> None:
    gold = {
        "persons": [
            {"id": "a", "canonical": "Ali Hassan", "mentions": [], "aliases": []},
            {"id": "b", "canonical": "Omar Farid", "mentions": [], "aliases": [],
             "optional": True},
        ],
        "organizations": [],
        "relations": [],
    }  # fmt: skip
    report = score({"entities": [person("e1", "Ali Hassan")]}, gold)
    assert (report.persons.recall, report.persons.gold) == (1.0, 1)


# --- persons: split, over-merged, noise -------------------------------------------


def test_a_person_in_two_entities_is_reported_split(seeds: dict[str, Any]) -> None:
    export = perfect_export(seeds)
    export["entities"].append(person("e-saleh", "Saleh Abdeslam", "Saleh"))
    report = score(export, seeds)
    split = {s.gold_id: s.entity_ids for s in report.persons.split}
    assert split == {"salah_abdeslam": ("salah_abdeslam", "e-saleh")}
    # both halves are right about who they are: precision and recall stay whole
    assert (report.persons.precision, report.persons.recall) == (1.0, 1.0)


def test_salah_and_brahim_abdeslam_in_one_entity_is_over_merged(seeds: dict[str, Any]) -> None:
    export = without(perfect_export(seeds), "salah_abdeslam", "brahim_abdeslam")
    merged = person("e-abdeslam", "Salah Abdeslam", "Abdeslam", "Saleh", "Brahim Abdeslam")
    export["entities"].append(merged)
    for tie in export["ties"]:  # the ties now run to the merged entity
        for end in ("source", "target"):
            if tie[end] in {"salah_abdeslam", "brahim_abdeslam"}:
                tie[end] = "e-abdeslam"
    report = score(export, seeds)
    p, t = report.persons, report.ties
    assert [(m.entity_id, set(m.gold_ids)) for m in p.over_merged] == [
        ("e-abdeslam", {"salah_abdeslam", "brahim_abdeslam"})
    ]
    # it is neither of them: both are missed, and it counts against precision
    assert {g.gold_id for g in p.missed} == {"salah_abdeslam", "brahim_abdeslam"}
    assert (p.exported_matching, p.exported) == (p.gold - 2, p.gold - 1)
    # its ties count neither way: no false pair, the gold pairs through it are missed
    through = {pair for pair in gold_pairs(seeds) if pair & {"salah_abdeslam", "brahim_abdeslam"}}
    assert t.false == ()
    assert (t.exported, t.matched) == (87 - len(through), 87 - len(through))
    assert {frozenset((m.a, m.b)) for m in t.missed} == through
    assert frozenset({"abdelhamid_abaaoud", "salah_abdeslam"}) in through


def test_attention_editors_person_is_noise(seeds: dict[str, Any]) -> None:
    export = perfect_export(seeds)
    export["entities"].append(person("e-boiler", "ATTENTION EDITORS"))
    report = score(export, seeds)
    p = report.persons
    assert [(n.entity_id, n.noise) for n in p.noise] == [("e-boiler", "ATTENTION EDITORS")]
    assert [(e.entity_id, e.name) for e in p.false] == [("e-boiler", "ATTENTION EDITORS")]
    assert (p.exported_matching, p.exported) == (p.gold, p.gold + 1)


def test_surface_forms_the_gold_gives_a_person_are_not_noise(seeds: dict[str, Any]) -> None:
    export = perfect_export(seeds)  # carries "Saleh", "Brahim", "Abdeslam", "Kayal"...
    assert score(export, seeds).persons.noise == ()


def test_bare_obama_from_a_reader_comment_is_flagged_as_noise(seeds: dict[str, Any]) -> None:
    export = without(perfect_export(seeds), "barack_obama")
    export["entities"].append(person("e-obama", "Barack Obama", "Obama"))
    report = score(export, seeds)
    assert [(n.entity_id, n.noise) for n in report.persons.noise] == [("e-obama", "Obama")]
    assert report.persons.recall == 1.0  # still Barack Obama


# --- the weight rule ------------------------------------------------------------

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


def outcome(report: EvalReport) -> str:
    """Who the single exported entity was taken to be."""
    if report.persons.over_merged:
        return "over-merged"
    missed = {g.gold_id for g in report.persons.missed}
    found = {"ali", "omar"} - missed
    return found.pop() if len(found) == 1 else "nobody"


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (("Ali Hassan",), "ali"),
        (("Hassan",), "over-merged"),  # one word of both, 1 against 1: a tie
        (("Hassan", "Ali"), "ali"),  # 2 against 1
        (("Hassan", "Omar Hassan"), "omar"),  # the full name weighs 3
        (("Ali", "Omar Hassan"), "omar"),  # 3 beats 1
        (("Ali Hassan", "Omar Hassan"), "over-merged"),  # full names of two persons
        (("Ali Hassan", "Hassan", "Ali", "Omar Hassan"), "over-merged"),  # even when heavier
        (("Abu Omar",), "over-merged"),  # a full name of both only weighs: 3 against 3
        (("Abu Omar", "Ali Hassan"), "ali"),  # ... and does not make two full names
        (("Hassan Ali",), "nobody"),
    ],
)
def test_heaviest_gold_person_wins_and_ties_are_over_merged(
    names: tuple[str, ...], expected: str
) -> None:
    report = score({"entities": [person("e1", *names)]}, WEIGHT_GOLD)
    assert outcome(report) == expected


def test_over_merged_entity_counts_against_precision_and_for_no_recall() -> None:
    report = score({"entities": [person("e1", "Hassan")]}, WEIGHT_GOLD)
    p = report.persons
    assert (p.precision, p.recall, p.exported) == (0.0, 0.0, 1)
    assert [(m.entity_id, m.gold_ids) for m in p.over_merged] == [("e1", ("ali", "omar"))]


def test_brahim_alone_names_two_seeds_persons_and_is_over_merged(seeds: dict[str, Any]) -> None:
    report = score({"entities": [person("e1", "Brahim")]}, seeds)
    assert [set(m.gold_ids) for m in report.persons.over_merged] == [
        {"brahim_abdeslam", "ibrahim_bakraoui"}
    ]


# --- aliases and organisations ------------------------------------------------------


def test_alias_counts_only_beside_the_canonical_name(seeds: dict[str, Any]) -> None:
    export = without(perfect_export(seeds), "najim_laachraoui")
    export["entities"].append(person("e-kayal", "Soufiane Kayal", "Laachraoui"))
    report = score(export, seeds)
    assert [(a.gold_id, a.alias) for a in report.aliases.missed] == [
        ("najim_laachraoui", "Soufiane Kayal")
    ]
    assert report.aliases.recall == 8 / 9  # the seeds have nine aliases, handles aside


def test_organisations_are_matched_by_schema_and_folded_name(seeds: dict[str, Any]) -> None:
    export = without(perfect_export(seeds), "zerkani_network", "sharia4belgium")
    export["entities"] += [
        {"id": "o1", "schema": "LegalEntity", "name": "Zerkani’s group"},
        {"id": "o2", "schema": "Person", "name": "Sharia4Belgium"},  # wrong schema
    ]
    report = score(export, seeds)
    assert [g.gold_id for g in report.organizations.missed] == ["sharia4belgium"]
    assert report.organizations.matched == len(seeds["organizations"]) - 1


# --- ties ---------------------------------------------------------------------------

TIE_GOLD = {
    "persons": [
        {"id": "a", "canonical": "Ali Hassan", "mentions": [], "aliases": []},
        {"id": "b", "canonical": "Omar Farid", "mentions": [], "aliases": []},
        {"id": "c", "canonical": "Karim Nouri", "mentions": [], "aliases": []},
    ],
    "organizations": [{"id": "g", "canonical": "Sharia4Belgium", "mentions": []}],
    "places": [{"id": "x", "canonical": "Molenbeek", "mentions": []}],
    "relations": [
        {"a": "a", "b": "b", "type": "family"},
        {"a": "a", "b": "g", "type": "member_of"},
        {"a": "c", "b": "g", "type": "funded"},
        {"a": "a", "b": "a", "type": "alias_of"},
        {"a": "a", "b": "x", "type": "located_in"},
    ],
}
TIE_ENTITIES = [
    person("ea", "Ali Hassan"),
    person("eb", "Omar Farid"),
    person("ec", "Karim Nouri"),
    person("ez", "Nobody Known"),
    {"id": "eg", "schema": "Organization", "name": "Sharia4Belgium"},
    {"id": "ex", "schema": "Address", "name": "Molenbeek"},
]


def tie(source: str, target: str, kind: str, detail: str = "", **extra: Any) -> dict[str, Any]:
    return {"source": source, "target": target, "type": kind, "detail": detail, **extra}


def tie_report(*ties: dict[str, Any], **options: Any) -> EvalReport:
    rows = [{"id": f"t{i}", **t} for i, t in enumerate(ties)]
    return score({"entities": TIE_ENTITIES, "ties": rows}, TIE_GOLD, **options)


def test_gold_pairs_are_person_and_organisation_pairs_of_tie_types() -> None:
    assert set(gold_pairs(TIE_GOLD)) == {
        frozenset("ab"),
        frozenset("ag"),
        frozenset("cg"),
    }


def test_ties_are_unordered_pairs_and_other_funded_is_the_right_type() -> None:
    t = tie_report(
        tie("eb", "ea", "associate"),
        tie("ea", "eg", "member_of"),
        tie("eg", "ec", "other", "funded"),
    ).ties
    assert (t.precision, t.recall, t.typed_accuracy) == (1.0, 1.0, 1.0)


def test_tie_with_a_wrong_type_class_is_found_but_mistyped() -> None:
    t = tie_report(tie("ea", "eb", "member_of"), tie("ea", "eg", "member_of")).ties
    assert (t.matched, t.typed_correct, t.gold) == (2, 1, 3)
    assert t.typed_accuracy == pytest.approx(1 / 3)
    assert [(m.a_name, m.b_name, m.gold_types, m.exported_types) for m in t.mistyped] == [
        ("Ali Hassan", "Omar Farid", ("family",), ("member_of",))
    ]


def test_pair_with_several_ties_is_right_if_any_has_the_right_class() -> None:
    t = tie_report(tie("ea", "eb", "communicated_with"), tie("eb", "ea", "family")).ties
    assert (t.matched, t.exported, t.typed_correct) == (1, 1, 1)


def test_ties_to_unmatched_or_non_network_entities_count_neither_way() -> None:
    t = tie_report(
        tie("ea", "ez", "associate"),  # unmatched person
        tie("ea", "ex", "located_in"),  # an address
        tie("ea", "ex", "other"),  # an address, tie type of the pair figure
        tie("ea", "missing-id", "associate"),
        tie("ea", "ea", "associate"),  # both ends one person
    ).ties
    assert (t.exported, t.matched, t.precision, t.false) == (0, 0, None, ())


def test_false_pair_is_listed_with_both_names() -> None:
    t = tie_report(tie("eb", "ec", "travelled_with"), tie("ea", "eb", "family")).ties
    assert (t.precision, t.recall) == (0.5, pytest.approx(1 / 3))
    assert [(f.a_name, f.b_name, f.exported_types) for f in t.false] == [
        ("Omar Farid", "Karim Nouri", ("travelled_with",))
    ]
    assert {(m.a, m.b) for m in t.missed} == {("a", "g"), ("c", "g")}


def test_inferred_ties_are_left_out_unless_asked_for() -> None:
    hidden = tie("ea", "eb", "associate", "suggested", inferred=True)
    assert tie_report(hidden).ties.exported == 0
    assert tie_report(hidden, include_inferred=True).ties.matched == 1


@pytest.mark.parametrize(
    ("same", "different"),
    [
        (("family", "associate"), "member_of"),
        (("recruited_by", "member_of", "leader_of"), "associate"),
        (("communicated_with", "shared_residence", "travelled_with"), "other"),
        (("funded", "other"), "family"),
    ],
)
def test_type_classes_of_the_typed_figure(same: tuple[str, ...], different: str) -> None:
    assert len({type_class(t) for t in same}) == 1
    assert type_class(same[0]) is not None
    assert type_class(different) != type_class(same[0])


# --- contradictions -----------------------------------------------------------------


def conflict_export(*values: Any) -> dict[str, Any]:
    claims = [{"id": f"c{i}", "subject": "e9", "quantity": "deaths", "value": v}
              for i, v in enumerate(values)]  # fmt: skip
    return {
        "entities": [{"id": "e9", "schema": "Event", "name": "Brussels bombings"}],
        "claims": claims,
        "conflicts": [{"subject": "e9", "quantity": "deaths", "claims": [c["id"] for c in claims]}],
    }


def topic(gold: dict[str, Any], *words: str) -> str:
    """The gold contradiction topic whose title has all ``words``."""
    return next(t["topic"] for t in gold["contradictions"] if all(w in t["topic"] for w in words))


def test_only_topics_with_two_different_numbers_are_scored(seeds: dict[str, Any]) -> None:
    c = score({}, seeds).contradictions
    assert (c.found, c.total) == (0, 5)
    topics = {m.topic: m.values for m in c.missed_topics}
    assert topics[topic(seeds, "death toll", "Brussels")] == ("26", "30", "31")
    assert topics[topic(seeds, "death toll", "Paris")] == ("130", "137")
    assert topics[topic(seeds, "date", "Paris")] == ("2015-11-13", "2015-11-14")
    assert topic(seeds, "Sharia4Belgium") not in topics  # attributions, no numbers


def test_conflict_with_two_gold_numbers_finds_the_topic(seeds: dict[str, Any]) -> None:
    c = score(conflict_export(26, 31), seeds).contradictions
    assert [(f.topic, f.found_by) for f in c.found_topics] == [
        (topic(seeds, "death toll", "Brussels"), "Brussels bombings (e9) deaths")
    ]


def test_conflict_with_one_gold_number_twice_finds_nothing(seeds: dict[str, Any]) -> None:
    assert score(conflict_export(31, 31.0, 270), seeds).contradictions.found == 0


def test_conflict_of_iso_dates_finds_the_date_topic(seeds: dict[str, Any]) -> None:
    c = score(conflict_export("2015-11-13", "2015-11-14"), seeds).contradictions
    assert [f.topic for f in c.found_topics] == [topic(seeds, "date", "Paris")]


def test_less_precise_exported_dates_do_not_state_gold_dates(seeds: dict[str, Any]) -> None:
    assert score(conflict_export("2015-11", "2015"), seeds).contradictions.found == 0


def test_one_exported_value_cannot_stand_for_two_gold_numbers() -> None:
    gold = {
        "persons": [],
        "organizations": [],
        "relations": [],
        "contradictions": [
            {"topic": "date", "values": [{"value": "November 13"}, {"value": "November 2015"}]}
        ],
    }
    assert score(conflict_export("2015-11-13"), gold).contradictions.found == 0
    assert score(conflict_export("2015-11-13", "2015-11-20"), gold).contradictions.found == 1


# --- the report ---------------------------------------------------------------------


def test_report_is_json_and_text_with_the_errors_a_user_checks(seeds: dict[str, Any]) -> None:
    export = without(perfect_export(seeds), "bilal_hadfi")
    export["entities"].append(person("e-boiler", "ATTENTION EDITORS"))
    report = score(export, seeds)

    data = json.loads(json.dumps(report_to_dict(report)))
    assert data["persons"]["missed"] == [{"gold_id": "bilal_hadfi", "name": "Bilal Hadfi"}]
    assert data["ties"]["gold"] == 87

    text = format_report(report)
    lines = text.splitlines()
    assert lines[0].split()[:3] == ["persons", "precision", f"{47 / 48:.3f}"]
    assert "tie pair recall" in text and "87 gold pairs" in text
    assert "missed persons (1):\n  Bilal Hadfi [bilal_hadfi]" in text
    assert "noise persons (1):\n  e-boiler 'ATTENTION EDITORS': 'ATTENTION EDITORS'" in text


def test_export_of_an_unknown_version_is_refused(seeds: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="threadline_export version 2"):
        score({"threadline_export": 2}, seeds)
