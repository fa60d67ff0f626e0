"""Roles of people and groups, and junk names kept out, on sentences written for these tests."""

from __future__ import annotations

from typing import Any

import pytest

from threadline.resolve import resolve
from threadline.resolve.roles import assign_roles


def run(extract_written: Any, text: str) -> dict[str, Any]:
    """Extract, resolve and give roles for one invented document."""
    x = extract_written(text)
    res = resolve(x.mentions, x.assertions, x.claims)
    assign_roles(res.entities, {m.id: m for m in x.mentions}, res.ties)
    names = {e.id: e.name for e in res.entities}
    return {
        "people": {e.name: e for e in res.entities if e.schema == "Person"},
        "orgs": {e.name: e for e in res.entities if e.schema != "Person"},
        "schemas": {e.name: e.schema for e in res.entities},
        "ties": {(t.type, names[t.source], names[t.target]) for t in res.ties if not t.inferred},
    }


def role_of(r: dict[str, Any], name: str) -> str:
    assert name in r["people"], f"{name!r} not a person; people: {sorted(r['people'])}"
    return str(r["people"][name].data["role"])


@pytest.mark.parametrize(
    ("text", "name", "role"),
    [
        # credits and bylines
        (
            "The port was closed on Monday.\n\n(Reporting by Maria Keller; Editing by Ivo Brandt)",
            "Maria Keller",
            "journalist",
        ),
        (
            "The port was closed on Monday.\n\n(Reporting by Maria Keller; Editing by Ivo Brandt)",
            "Ivo Brandt",
            "journalist",
        ),
        (
            "By Tomasz Wielgo and Ana Ferreira\n\nThe port was closed on Monday.",
            "Ana Ferreira",
            "journalist",
        ),
        # a title before the name
        (
            "Interior Minister Harald Vostrup said the border would stay shut.",
            "Harald Vostrup",
            "official",
        ),
        (
            "Police chief Rafael Ondrasek told reporters the suspects had fled.",
            "Rafael Ondrasek",
            "official",
        ),
        # an apposition after the name
        (
            "Security analyst Jonas Meerveld said the cell was weak.",
            "Jonas Meerveld",
            "expert",
        ),
        (
            '"They are weaker now," said Lena Hoskova, a professor at the University of Brno.',
            "Lena Hoskova",
            "expert",
        ),
        (
            "Lena Hoskova, director of the Institute for Conflict Studies, said the cell was weak.",
            "Lena Hoskova",
            "expert",
        ),
        (
            "The statement was signed by Pavel Drozdek, a correspondent for a local radio station.",
            "Pavel Drozdek",
            "journalist",
        ),
        (
            '"We will not negotiate," spokesman Javier Ondarra said on Monday.',
            "Javier Ondarra",
            "official",
        ),
        # the group's actors
        (
            "The militants were led by Omar Zerdani, the gang's boss, police said.",
            "Omar Zerdani",
            "network",
        ),
        (
            "Gunman Kemal Ostrava opened fire on the crowd at the market.",
            "Kemal Ostrava",
            "network",
        ),
        (
            "Kemal Ostrava was arrested on Friday at a farm outside the town.",
            "Kemal Ostrava",
            "network",
        ),
        (
            "Police identified Kemal Ostrava, a mechanic, as the mastermind of the attacks.",
            "Kemal Ostrava",
            "network",
        ),
        # victims and bystanders
        (
            "Teodor Wanicki was killed when the bomb went off outside his shop.",
            "Teodor Wanicki",
            "victim",
        ),
        (
            "Teodor Wanicki, a witness, said he heard three shots before the car sped off.",
            "Teodor Wanicki",
            "other",
        ),
    ],
)
def test_role_cue(extract_written: Any, text: str, name: str, role: str) -> None:
    assert role_of(run(extract_written, text), name) == role


def test_spokesman_takes_the_role_of_the_body_he_speaks_for(extract_written: Any) -> None:
    text = (
        "The Black Hand gang claimed the attack. Gang spokesman Ruslan Bekarov said more would"
        " follow. Police spokesman Adam Strzelec said the gang was weakened."
    )
    r = run(extract_written, text)
    assert role_of(r, "Ruslan Bekarov") == "network"
    assert role_of(r, "Adam Strzelec") == "official"


def test_relative_tied_to_a_member_joins_the_network(extract_written: Any) -> None:
    text = (
        "Gunman Kemal Ostrava opened fire on the crowd. His brother, Emre Ostrava, lived with"
        " him in the flat."
    )
    r = run(extract_written, text)
    assert role_of(r, "Kemal Ostrava") == "network"
    assert role_of(r, "Emre Ostrava") == "network"


def test_every_person_and_group_has_a_role(extract_written: Any) -> None:
    text = (
        "Members of the Red Night network met Julian Farkas in Ghent. Julian Farkas told the"
        " Daily Courier newspaper he had never met them. The interior ministry said it was"
        " watching the Red Night network."
    )
    r = run(extract_written, text)
    assert all(e.data.get("role") for e in r["people"].values())
    roles = {n: e.data.get("role") for n, e in r["orgs"].items() if e.schema == "Organization"}
    assert roles.get("Red Night network") == "network", roles
    assert all(roles.values()), roles


# Principle 4: words of nationality, religion or ethnicity change no role and no tie.
_SWAPS = [
    ("Belgian", "Peruvian"),
    ("Muslim", "Catholic"),
    ("Kurdish", "Basque"),
]


@pytest.mark.parametrize(("word", "other"), _SWAPS)
def test_roles_and_ties_ignore_nationality_religion_ethnicity(
    extract_written: Any, word: str, other: str
) -> None:
    template = (
        "Gunman Kemal Ostrava, a {w} man, opened fire on the crowd. His brother, Emre Ostrava,"
        ' a {w} shopkeeper, lived with him. "They were quiet," said Lena Hoskova, a {w}'
        " professor at the University of Brno. {w} Interior Minister Harald Vostrup said the"
        " border would stay shut. Teodor Wanicki, a {w} waiter, was killed."
    )
    a = run(extract_written, template.format(w=word))
    b = run(extract_written, template.format(w=other))
    roles_a = {n: e.data["role"] for n, e in a["people"].items()}
    roles_b = {n: e.data["role"] for n, e in b["people"].items()}
    assert roles_a == roles_b
    assert a["ties"] == b["ties"]
    assert roles_a["Kemal Ostrava"] == "network"
    assert roles_a["Lena Hoskova"] == "expert"


@pytest.mark.parametrize(
    ("text", "junk", "kept", "schema"),
    [
        # a heading in capitals glued to a name
        (
            "The envoy flew to Kenya RELATED STORIES\nHe met Amina Odhiambo there.",
            "Kenya RELATED STORIES",
            None,
            None,
        ),
        # "X's Death": an event, not a person
        (
            "Questions Over Markus Feltl's Death remain, his lawyer said.",
            "Markus Feltl's Death",
            "Markus Feltl",
            "Person",
        ),
        # products and vehicles
        ("The men fled in a Skoda Octavia car towards the border.", "Skoda Octavia", None, None),
        # nationality or agency prefixes
        (
            "Belgian Karim Haddou was detained on Monday in Brussels.",
            "Belgian Karim Haddou",
            "Karim Haddou",
            "Person",
        ),
        (
            "REUTERS Karim Haddou was detained on Monday in Brussels.",
            "REUTERS Karim Haddou",
            "Karim Haddou",
            "Person",
        ),
        # capitalised common words and demonyms
        (
            '"All the attackers were Bangladeshi," the officer said of Rafiq Islamov\'s team.',
            "Bangladeshi",
            None,
            None,
        ),
        # platforms and venues are organisations
        (
            "Zoran Petek posted the video on Twitter before he left.",
            None,
            "Twitter",
            "Organization",
        ),
        (
            "Zoran Petek worked as a waiter at Bella Napoli restaurant in the mall.",
            None,
            "Bella Napoli",
            "Organization",
        ),
        # places by context
        (
            "The cell met in the town of Ahmed Walid before the raid.",
            None,
            "Ahmed Walid",
            "Address",
        ),
        # groups by context
        (
            "Fighters of the group Ansar Dawla attacked the base. Ansar Dawla fighters fled.",
            None,
            "Ansar Dawla",
            "Organization",
        ),
    ],
)
def test_junk_names_are_not_people(
    extract_written: Any, text: str, junk: str | None, kept: str | None, schema: str | None
) -> None:
    r = run(extract_written, text)
    names = {n.casefold() for n in r["schemas"]}
    if junk:
        assert junk.casefold() not in names, sorted(r["schemas"])
    if kept:
        got = {n: s for n, s in r["schemas"].items() if n.casefold() == kept.casefold()}
        assert got and set(got.values()) <= {schema, "PublicBody", "Company"}, r["schemas"]


@pytest.mark.parametrize(
    ("text", "org"),
    [
        ("The Lyon police said the flat had been empty for a month.", "Lyon police"),
        (
            "The Bolivian interior ministry said it was checking the report.",
            "Bolivian interior ministry",
        ),
        ("Planes of the U.S.-led coalition struck the depot on Monday.", "U.S.-led coalition"),
        ("The local broadcaster Radio Ostrava showed the car on fire.", "Radio Ostrava"),
        ("Broadcaster Kanal Nord said the men were accused of smuggling.", "Kanal Nord"),
        ("Peru's Diario Sur newspaper named the driver on Tuesday.", "Diario Sur"),
        (
            '"We will strike again," Wafa Nord, a news agency linked to the group, said.',
            "Wafa Nord",
        ),
        ("Members of the Ortega drug cartel were held on Friday.", "Ortega drug cartel"),
        ("He posted the video on Facebook and on YouTube the same night.", "YouTube"),
    ],
)
def test_organisations_under_their_several_names(extract_written: Any, text: str, org: str) -> None:
    r = run(extract_written, text)
    names = {n: e for n, e in r["orgs"].items() if e.schema != "Address"}
    hits = [e for e in names.values() if org in {*e.names, e.name, *e.aliases}]
    assert hits, sorted(names)
