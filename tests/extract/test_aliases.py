"""Aliases in ordinary phrasing, attached to the right person (sentences written for these tests)."""

from __future__ import annotations

from typing import Any

import pytest

from threadline.resolve import resolve


def people(extract_written: Any, text: str) -> dict[str, set[str]]:
    """Each resolved person's name -> every name and alias it carries."""
    x = extract_written(text)
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
def test_alias_phrasing(extract_written: Any, text: str, person: str, alias: str) -> None:
    found = people(extract_written, text)
    assert person in carrier(found, alias), found


def test_a_list_of_aliases_goes_to_one_person(extract_written: Any) -> None:
    text = (
        "Investigators said Karim Haddou used the aliases Samir Bouzidi, Yassine Lamrani and"
        " Omar Ferhat while in Belgium."
    )
    found = people(extract_written, text)
    names = carrier(found, "Samir Bouzidi")
    assert {"Karim Haddou", "Yassine Lamrani", "Omar Ferhat"} <= names, found


def test_alias_of_a_man_in_coordination_is_not_the_first_name(extract_written: Any) -> None:
    # "A and a man known as B": B is the man's alias, not A's
    text = "Police detained Karim Haddou and a man known as Samir Bouzidi in Ghent on Monday."
    found = people(extract_written, text)
    assert "Karim Haddou" not in carrier(found, "Samir Bouzidi"), found


@pytest.mark.parametrize(
    "text",
    [
        "He turned out to be Karim Haddou, the missing driver.",
        "She was in fact Leila Haddou, the driver's sister.",
    ],
)
def test_a_pronoun_is_never_an_alias(extract_written: Any, text: str) -> None:
    found = people(extract_written, text)
    assert not any({"He", "She", "he", "she"} & names for names in found.values()), found


def test_a_bare_kunya_alias_is_weak(extract_written: Any) -> None:
    text = "Karim Haddou, also known as Abu Walid, rented the flat."
    x = extract_written(text)
    aliases = [a for a in x.assertions if a.kind == "alias"]
    assert aliases and {a.detail for a in aliases} == {"weak"}
