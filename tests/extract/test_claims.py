"""Claims, qualifiers, attributions, hedging and conflicts, on sentences written for the tests."""

from __future__ import annotations

from typing import Any

import pytest

from threadline.export.conflicts import compatible, find_conflicts
from threadline.extract.claims import find_claims, parse_number
from threadline.extract.events import HEDGE


@pytest.mark.parametrize(
    ("sentence", "quantity", "value", "qualifier"),
    [
        ("The blast killed at least 12 people near the harbour.", "deaths", 12, "at least"),
        ("Thirty-one people died in the attack.", "deaths", 31, "exactly"),
        ("More than 40 people were injured, the hospital said.", "injured", 40, "more than"),
        ("Nearly 270 were wounded.", "injured", 270, "about"),
        ("Some 25 passengers were killed.", "deaths", 25, "about"),
        ("The raid left four suspects dead.", "deaths", 4, "exactly"),
        ("The shooting claimed the lives of 9 people.", "deaths", 9, "exactly"),
        ("Between 30 and 35 people were killed in the fire.", "deaths", 30, "range"),
        ("Gunmen opened fire, killing dozens of people.", "deaths", 0, "vague"),
        ("Up to 15 people were hurt in the stampede.", "injured", 15, "at most"),
    ],
)
def test_casualty_claims_with_qualifiers(
    sentence: str, quantity: str, value: int, qualifier: str
) -> None:
    claims = [c for c in find_claims(sentence, 0) if c.quantity == quantity]
    assert len(claims) == 1, claims
    assert claims[0].value == value and claims[0].qualifier == qualifier
    assert sentence[claims[0].start : claims[0].end] in sentence


def test_range_keeps_both_bounds() -> None:
    (c,) = find_claims("Between 30 and 35 people were killed.", 0)
    assert (c.value, c.value_high, c.value_text) == (30, 35, "30-35")


@pytest.mark.parametrize(
    ("text", "value"),
    [("thirty-one", 31), ("twelve", 12), ("1,200", 1200), ("dozens", None), ("a hundred", 100)],
)
def test_number_words(text: str, value: int | None) -> None:
    assert parse_number(text) == value


HEDGED = [
    "Officials say he may have built the detonators.",
    "The two men might have met in Syria.",
    "She is suspected of financing the cell.",
    "He allegedly rented the flat under a false name.",
    "The alleged ringleader was arrested on Monday.",
    "He seems to have been a founding member of the brigade.",
    "The group reportedly moved its money through a charity.",
    "They likely travelled together through Turkey.",
    "He is believed to have driven the car.",
    "The driver was thought to be a cousin of the bomber.",
    "Investigators said the man could have been in contact with the leader.",
    "He apparently knew both brothers from school.",
    "The supposed mastermind was captured in Molenbeek.",
    "He is accused of helping lead the attack.",
    "Perhaps twenty fighters joined the unit.",
    "The cell possibly included a third man.",
    "He probably recruited the younger brother.",
    "Prosecutors suspect she wired the money.",
    "The two are reportedly cousins.",
    "He seemed to have left the group in 2014.",
    "The suspected bomb maker fled to Brussels.",
    "It may be that the phones were bought by the same man.",
]
PLAIN = [
    "He built the detonators in a garage.",
    "The two men met in Syria in 2013.",
    "She financed the cell with stolen cards.",
    "He rented the flat under a false name.",
    "The ringleader was arrested on Monday.",
    "He was a founding member of the brigade.",
    "The group moved its money through a charity.",
    "They travelled together through Turkey.",
    "He drove the car to the airport.",
    "The driver is a cousin of the bomber.",
    "The man was in contact with the leader.",
    "He knew both brothers from school.",
    "The mastermind was captured in Molenbeek.",
    "He helped lead the attack.",
    "Twenty fighters joined the unit.",
    "The cell included a third man.",
    "He recruited the younger brother.",
    "She wired the money on Friday.",
    "The two are cousins.",
    "He left the group in 2014.",
    "The bomb maker fled to Brussels.",
    "The phones were bought by the same man.",
]


def test_hedging_flag_is_right_on_at_least_95_percent() -> None:
    assert len(HEDGED) + len(PLAIN) >= 40
    right = sum(bool(HEDGE.search(s)) for s in HEDGED) + sum(not HEDGE.search(s) for s in PLAIN)
    assert right / (len(HEDGED) + len(PLAIN)) >= 0.95


def _claim(cid: str, value: Any, qualifier: str, doc: str, caption: bool = False) -> dict[str, Any]:
    return {
        "id": cid,
        "subject": "e1",
        "quantity": "deaths",
        "value": value,
        "qualifier": qualifier,
        "evidence": [
            {
                "document": doc,
                "start": 0,
                "end": 3,
                "quote": "...",
                "extractor": "claim:date:caption" if caption else "claim:deaths",
                "confidence": 0.8,
            }
        ],
    }


def test_lower_bounds_can_all_be_true_exact_values_cannot() -> None:
    assert compatible([_claim("a", 26, "at least", "d1"), _claim("b", 31, "at least", "d2")])
    assert not compatible([_claim("a", 130, "exactly", "d1"), _claim("b", 137, "exactly", "d2")])


def test_conflict_orders_reports_by_date_and_explains_rising_counts() -> None:
    docs = {
        "d1": {"id": "d1", "published": "2024-11-10", "title": "first"},
        "d2": {"id": "d2", "published": "2024-11-12", "title": "later"},
        "d3": {"id": "d3", "published": None, "title": "undated"},
    }
    claims = [
        _claim("c2", 6, "exactly", "d2"),
        _claim("c1", 4, "at least", "d1"),
        _claim("c3", 7, "exactly", "d3"),
    ]
    (conflict,) = find_conflicts(claims, docs)
    assert conflict["claims"][:2] == ["c1", "c2"]  # by publication date, undated last
    assert "rises" in conflict["explanation"]
    assert "1 of 3 reports have no known publication date" in conflict["explanation"]
    assert [s["title"] for s in conflict["sides"]] == ["first", "later", "undated"]


def test_casualty_conflicts_rank_before_dates() -> None:
    docs = {"d1": {"published": None}, "d2": {"published": None}}
    claims = [
        {**_claim("a", "2015-11-13", "exactly", "d1"), "quantity": "date"},
        {**_claim("b", "2015-11-14", "exactly", "d2", caption=True), "quantity": "date"},
        _claim("c", 130, "exactly", "d1"),
        _claim("d", 137, "exactly", "d2"),
    ]
    ranked = find_conflicts(claims, docs)
    assert [c["quantity"] for c in ranked] == ["deaths", "date"]
    assert "caption" in ranked[1]["explanation"]


@pytest.mark.parametrize(
    ("sentence", "quantity", "value", "unit"),
    [
        ("Twenty-four people were seriously wounded, police said.", "injured", 24, "people"),
        ("Police said three civilians and a police officer were killed.", "deaths", 3, "people"),
        ("The bomber killed himself and 10 tourists near the square.", "deaths", 10, "people"),
        ("The blast killed at least 12 German tourists.", "deaths", 12, "people"),
        ("He said 23 people from 18 countries were killed in the assault.", "deaths", 23, "people"),
        ("The ambassador put the death toll at 27 on Sunday.", "deaths", 27, "people"),
        ("The gunfight left all five attackers and two guards dead.", "deaths", 2, "people"),
        ("Five militants were killed in the raid.", "deaths", 5, "attackers"),
    ],
)
def test_more_ways_to_state_a_toll(sentence: str, quantity: str, value: int, unit: str) -> None:
    claims = [c for c in find_claims(sentence, 0) if c.quantity == quantity]
    assert [(c.value, c.unit) for c in claims] == [(value, unit)]


def test_the_attackers_own_dead_never_contradict_the_toll() -> None:
    def claim(cid: str, value: int, unit: str) -> dict[str, Any]:
        ev = [{"document": "d1", "quote": "q", "extractor": "claim:deaths"}]
        return {
            "id": cid,
            "subject": "ev",
            "quantity": "deaths",
            "value": value,
            "qualifier": "exactly",
            "unit": unit,
            "evidence": ev,
        }

    assert find_conflicts([claim("a", 7, "people"), claim("b", 5, "attackers")], {}) == []
    assert len(find_conflicts([claim("a", 7, "people"), claim("b", 9, "people")], {})) == 1


STORY = """Gunmen attack harbour hotel

Gunmen stormed a hotel in Rotterdam on Friday night. The Rotterdam attack lasted twelve
hours, officials said.

At least 14 people were killed, the interior ministry said. Twenty people were wounded in
the attack, they said.

In a separate raid on Saturday, police killed three suspects in the north of the country.

Security had been raised following a suicide attack in Rotterdam which killed at least 40
people in 2019. The mayor later put the death toll at 16. The group behind the attack was formed in 2019.[3]

[3] Review of the Rotterdam attack, p. 12, accessed 2 March 2024.
"""


@pytest.fixture(scope="module")
def story_claims() -> list[tuple[str, float, str, str]]:
    from threadline.extract.nlp import DEFAULT_MODEL, load_model
    from threadline.extract.pipeline import extract_document
    from threadline.ingest.segments import segment_text
    from threadline.model import Document

    segs = [{"start": s.start, "end": s.end, "kind": s.kind} for s in segment_text(STORY)]
    doc = Document("d1", "a" * 64, "story.txt", "text", STORY, segments=segs)
    doc.published = "2024-03-04"
    got = extract_document(doc, load_model(DEFAULT_MODEL))
    events = {m.id: m.key for m in got.mentions if m.label == "EVENT"}
    return [(c.quantity, c.value, events.get(c.subject, "?"), c.value_text) for c in got.claims]


def test_a_toll_without_a_place_is_the_story_s_event(
    story_claims: list[tuple[str, float, str, str]],
) -> None:
    tolls = {(q, v, e) for q, v, e, _ in story_claims if q in ("deaths", "injured")}
    assert ("deaths", 14, "rotterdam attacks") in tolls
    assert ("injured", 20, "rotterdam attacks") in tolls
    assert ("deaths", 16, "rotterdam attacks") in tolls  # "put the death toll at 16"


def test_a_raid_s_toll_never_becomes_the_attack_s(
    story_claims: list[tuple[str, float, str, str]],
) -> None:
    assert not any(v == 3 for q, v, _, _ in story_claims if q == "deaths")


def test_an_earlier_attack_the_story_recalls_keeps_its_own_toll(
    story_claims: list[tuple[str, float, str, str]],
) -> None:
    # "following a suicide attack in Rotterdam which killed at least 40": not this attack
    assert not any(v == 40 for q, v, _, _ in story_claims if q == "deaths")


def test_a_citation_date_is_never_an_event_date(
    story_claims: list[tuple[str, float, str, str]],
) -> None:
    dates = [text for q, _, _, text in story_claims if q == "date"]
    assert "2024-03-02" not in dates  # "accessed 2 March 2024" in the note
