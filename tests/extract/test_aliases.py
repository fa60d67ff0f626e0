"""Aliases in ordinary phrasing, attached to the right person (sentences written for these tests)."""

from __future__ import annotations

from typing import Any

import pytest

from threadline.extract import extract_document
from threadline.extract.nlp import load_model
from threadline.ingest.segments import segment_text
from threadline.model import Document
from threadline.resolve import resolve


@pytest.fixture(scope="module")
def nlp() -> Any:
    return load_model()


def people(nlp: Any, text: str) -> dict[str, set[str]]:
    """Each resolved person's name -> every name and alias it carries."""
    segments = [{"start": s.start, "end": s.end, "kind": s.kind} for s in segment_text(text)]
    doc = Document(
        id="d1", sha256="0" * 64, source="t.txt", kind="text", text=text, segments=segments
    )
    x = extract_document(doc, nlp)
    res = resolve(x.mentions, x.assertions, x.claims)
    return {e.name: {*e.names, *e.aliases, e.name} for e in res.entities if e.schema == "Person"}


def carrier(found: dict[str, set[str]], alias: str) -> set[str]:
    """All names of the person carrying ``alias`` (empty when nobody does)."""
    for names in found.values():
        if alias in names:
            return names
    return set()


@pytest.mark.parametrize(
    ("text", "person", "alias"),
    [
        (
            "Police arrested Karim Haddou, also known as Samir Bouzidi, in Ghent.",
            "Karim Haddou",
            "Samir Bouzidi",
        ),
        ("Karim Haddou, better known as The Baker, ran the flat.", "Karim Haddou", "Baker"),
        (
            "Karim Haddou, informally known as Sheikh Karim, led prayers.",
            "Karim Haddou",
            "Sheikh Karim",
        ),
        ("The court heard that Karim Haddou, aka Kiko, rented the van.", "Karim Haddou", "Kiko"),
        ("The court heard that Karim Haddou, alias Kiko, rented the van.", "Karim Haddou", "Kiko"),
        ("Karim Haddou, nicknamed Tiger, rented the van in March.", "Karim Haddou", "Tiger"),
        (
            "Karim Haddou, whose nom de guerre was Abu Qatada, fled to Syria.",
            "Karim Haddou",
            "Abu Qatada",
        ),
        ('The boss, Miguel "Flaco" Ortega, was arrested on Friday.', "Miguel Ortega", "Flaco"),
        (
            "The boss, Miguel 'El Flaco' Ortega, was arrested on Friday.",
            "Miguel Ortega",
            "El Flaco",
        ),
        (
            "Karim Haddou travelled to Athens on a forged passport in the name of Samir Bouzidi.",
            "Karim Haddou",
            "Samir Bouzidi",
        ),
        (
            "Karim Haddou was stopped in Vienna. The post listed his full title as Emir Haddou al-Faruq.",
            "Karim Haddou",
            "Emir Haddou al-Faruq",
        ),
        # French
        ("Karim Haddou, surnommé Kiko, a loué la camionnette.", "Karim Haddou", "Kiko"),
        ("Karim Haddou, connu sous le nom de Abu Walid, a fui.", "Karim Haddou", "Abu Walid"),
        (
            "Karim Haddou voyageait sous le nom de Samir Bouzidi depuis un an.",
            "Karim Haddou",
            "Samir Bouzidi",
        ),
        (
            "Karim Haddou avait de faux papiers au nom de Samir Bouzidi.",
            "Karim Haddou",
            "Samir Bouzidi",
        ),
    ],
)
def test_alias_phrasing(nlp: Any, text: str, person: str, alias: str) -> None:
    found = people(nlp, text)
    assert person in carrier(found, alias), found


def test_a_list_of_aliases_goes_to_one_person(nlp: Any) -> None:
    text = (
        "Investigators said Karim Haddou used the aliases Samir Bouzidi, Yassine Lamrani and"
        " Omar Ferhat while in Belgium."
    )
    found = people(nlp, text)
    names = carrier(found, "Samir Bouzidi")
    assert {"Karim Haddou", "Yassine Lamrani", "Omar Ferhat"} <= names, found


def test_alias_of_a_man_in_coordination_is_not_the_first_name(nlp: Any) -> None:
    # "A and a man known as B": B is the man's alias, not A's
    text = "Police detained Karim Haddou and a man known as Samir Bouzidi in Ghent on Monday."
    found = people(nlp, text)
    assert "Karim Haddou" not in carrier(found, "Samir Bouzidi"), found


@pytest.mark.parametrize(
    "text",
    [
        "He turned out to be Karim Haddou, the missing driver.",
        "She was in fact Leila Haddou, the driver's sister.",
    ],
)
def test_a_pronoun_is_never_an_alias(nlp: Any, text: str) -> None:
    found = people(nlp, text)
    assert not any({"He", "She", "he", "she"} & names for names in found.values()), found


def test_a_bare_kunya_alias_is_weak(nlp: Any) -> None:
    text = "Karim Haddou, also known as Abu Walid, rented the flat."
    segments = [{"start": s.start, "end": s.end, "kind": s.kind} for s in segment_text(text)]
    doc = Document(
        id="d1", sha256="0" * 64, source="t.txt", kind="text", text=text, segments=segments
    )
    x = extract_document(doc, nlp)
    aliases = [a for a in x.assertions if a.kind == "alias"]
    assert aliases and {a.detail for a in aliases} == {"weak"}
