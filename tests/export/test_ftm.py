"""FollowTheMoney export: every entity validates and every tie keeps its ends and its quote."""

from __future__ import annotations

from typing import Any

import pytest
from followthemoney import model
from hypothesis import given, settings
from hypothesis import strategies as st

from threadline.export.ftm import FtmEntity, ftm_entities, ftm_id, property_type


def _evidence(doc: str, quote: str, start: int = 0) -> dict[str, Any]:
    return {"document": doc, "start": start, "end": start + len(quote), "quote": quote}


def _export() -> dict[str, Any]:
    """A small fictional case: two brothers, a friend, a crew, a flat and a raid."""
    text = "Tarik Voss and his brother Milan Voss ran the Harbour Crew. Police raided Dock 9."
    return {
        "threadline_export": 1,
        "documents": [
            {
                "id": "d1",
                "title": "Harbour Crew profile",
                "source": "cases/harbour/profile.txt",
                "sha256": "ab" * 32,
                "published": "2021-05-04",
                "text": text,
                "outlet": "The Fictional Gazette",
                "url": "https://example.org/harbour-crew",
            },
            {
                "id": "d2",
                "title": "Raid report",
                "source": "cases/harbour/raid.html",
                "sha256": "cd" * 32,
                "sha1": "0123456789abcdef0123456789abcdef01234567",
                "published": None,
                "text": "x" * 70000,
            },
        ],
        "entities": [
            {
                "id": "e1",
                "schema": "Person",
                "name": "Tarik Voss",
                "names": ["Tarik Voss", "Tarek Voss", "Voss"],
                "aliases": ["The Pilot"],
                "roles": ["leader"],
                "evidence": [_evidence("d1", "Tarik Voss")],
                "metrics": {"degree": 3, "betweenness": 0.5},
            },
            {"id": "e2", "schema": "Person", "name": "Milan Voss", "names": ["Milan Voss"]},
            {"id": "e3", "schema": "Organization", "name": "Harbour Crew"},
            {"id": "e4", "schema": "Address", "name": "Dock 9"},
            {
                "id": "e5",
                "schema": "Event",
                "name": "Dock 9 raid",
                "date": "2021-04",
                "places": ["e4"],
            },
            {"id": "e6", "schema": "Person", "name": "Ivo Brandt"},
        ],
        "ties": [
            {
                "id": "t1",
                "type": "family",
                "detail": "brothers",
                "source": "e1",
                "target": "e2",
                "confidence": 0.9,
                "evidence": [_evidence("d1", "Tarik Voss and his brother Milan Voss")],
            },
            {
                "id": "t2",
                "type": "leader_of",
                "detail": "",
                "source": "e1",
                "target": "e3",
                "confidence": 0.8,
                "evidence": [_evidence("d1", "ran the Harbour Crew", 38)],
            },
            {
                "id": "t3",
                "type": "member_of",
                "detail": "driver",
                "source": "e2",
                "target": "e3",
                "evidence": [],
            },
            {
                "id": "t4",
                "type": "participated_in",
                "source": "e2",
                "target": "e5",
                "evidence": [_evidence("d2", "xxxx")],
            },
            {
                "id": "t5",
                "type": "travelled_with",
                "detail": "stopped together",
                "source": "e1",
                "target": "e6",
                "hedged": True,
                "inferred": True,
                "evidence": [],
            },
            {
                "id": "t6",
                "type": "associate",
                "detail": "allies",
                "source": "e1",
                "target": "e3",
                "evidence": [],
            },
            {"id": "t7", "type": "participated_in", "source": "e6", "target": "e3", "evidence": []},
        ],
        "claims": [
            {
                "id": "c1",
                "subject": "e5",
                "quantity": "arrests",
                "value": 4,
                "qualifier": "at least",
                "evidence": [_evidence("d2", "xxxx")],
            },
        ],
        "conflicts": [],
    }


@pytest.fixture
def entities() -> list[dict[str, Any]]:
    return list(ftm_entities(_export()))


def _by_id(entities: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {e["id"]: e for e in entities}


def test_every_entity_validates_after_an_untrusted_roundtrip(
    entities: list[dict[str, Any]],
) -> None:
    assert entities
    for data in entities:
        proxy = model.get_proxy(data, cleaned=False)  # re-cleans every value
        assert proxy.to_dict()["properties"] == data["properties"], data["id"]
        proxy.schema.validate(data)  # raises InvalidData on a bad value
        for required in proxy.schema.required:
            assert proxy.has(required), f"{data['id']} lacks required {required}"
        assert not proxy.schema.abstract


def test_property_types_and_references_follow_followthemoney_s_model(
    entities: list[dict[str, Any]],
) -> None:
    """The export writes FtM's JSON itself: every property it writes exists on the
    schema with the type the writer cleans it as, and every reference resolves."""
    ids = {e["id"] for e in entities}
    written = set()
    for data in entities:
        schema = model.get(data["schema"])
        assert schema is not None, data["schema"]
        for name, values in data["properties"].items():
            prop = schema.get(name)
            assert prop is not None, f"{data['schema']} has no {name}"
            assert prop.type.name == property_type(data["schema"], name), (data["schema"], name)
            if prop.type.name == "entity":
                assert set(values) <= ids, f"{data['id']}.{name} points outside the export"
            written.add(name)
    assert {"name", "proof", "involved", "person", "summary", "publishedAt"} <= written


#: One (schema, property) of each type the writer cleans, and the Email's string subject.
_TYPED = [
    ("Person", "name"),
    ("Address", "full"),
    ("Event", "date"),
    ("PlainText", "sourceUrl"),
    ("PlainText", "notes"),
    ("PlainText", "title"),
    ("Email", "subject"),
    ("UnknownLink", "subject"),
    ("PlainText", "contentHash"),
]
_VALUE = st.one_of(
    st.text(),
    st.sampled_from(['"Quoted"', " a\u00a0b\tc ", "2021-02-31", "example.org/a b", "e\u0301"]),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.none(),
)


@settings(max_examples=60, deadline=None)
@given(values=st.lists(st.one_of(_VALUE, st.lists(_VALUE, max_size=3)), max_size=4))
def test_values_are_cleaned_as_followthemoney_cleans_them(values: list[Any]) -> None:
    for schema, prop in _TYPED:
        ours, theirs = FtmEntity(schema), model.make_entity(schema)
        ours.id = theirs.id = "x1"
        for value in values:
            ours.add(prop, value)
            theirs.add(prop, value)
        assert ours.to_dict() == theirs.to_dict(), (schema, prop)


def test_family_tie_is_a_family_link_with_its_ends_and_quote(
    entities: list[dict[str, Any]],
) -> None:
    link = _by_id(entities)["t1"]
    assert link["schema"] == "Family"
    props = link["properties"]
    assert props["person"] == ["e1"] and props["relative"] == ["e2"]
    assert props["relationship"] == ["brothers"]
    assert props["summary"] == ["Tarik Voss and his brother Milan Voss"]
    assert props["proof"] == ["d1"]
    assert props["sourceUrl"] == ["https://example.org/harbour-crew"]
    assert props["publisher"] == ["The Fictional Gazette"]


def test_leadership_and_membership_become_memberships(entities: list[dict[str, Any]]) -> None:
    by_id = _by_id(entities)
    lead, member = by_id["t2"]["properties"], by_id["t3"]["properties"]
    assert by_id["t2"]["schema"] == by_id["t3"]["schema"] == "Membership"
    assert lead["member"] == ["e1"] and lead["organization"] == ["e3"]
    assert lead["role"] == ["leader"]
    assert member["role"] == ["driver"]


def test_participation_fills_event_involved_not_a_link(entities: list[dict[str, Any]]) -> None:
    by_id = _by_id(entities)
    assert "t4" not in by_id
    event = by_id["e5"]["properties"]
    assert event["involved"] == ["e2"]
    assert event["proof"] == ["d2"]  # the participation's source document
    assert event["date"] == ["2021-04"]
    assert event["location"] == ["Dock 9"] and event["addressEntity"] == ["e4"]
    assert any("arrests" in note and "at least 4" in note for note in event["notes"])


@pytest.mark.parametrize(
    ("tie_id", "role"),
    [
        ("t5", "travelled_with: stopped together"),
        ("t6", "associate: allies"),
        ("t7", "participated_in"),
    ],
)
def test_other_ties_and_misfits_become_unknown_links(
    entities: list[dict[str, Any]], tie_id: str, role: str
) -> None:
    link = _by_id(entities)[tie_id]
    assert link["schema"] == "UnknownLink"
    assert link["properties"]["role"] == [role]


def test_hedged_inferred_tie_says_so(entities: list[dict[str, Any]]) -> None:
    description = _by_id(entities)["t5"]["properties"]["description"][0]
    assert "hedged" in description and "inferred" in description


def test_person_names_aliases_and_weak_aliases(entities: list[dict[str, Any]]) -> None:
    person = _by_id(entities)["e1"]
    assert person["schema"] == "Person"
    props = person["properties"]
    assert props["name"] == ["Tarik Voss", "Tarek Voss"]
    assert props["alias"] == ["The Pilot"]
    assert props["weakAlias"] == ["Voss"]  # a bare surname never matches on its own
    assert props["proof"] == ["d1"]


def test_documents_are_file_entities_with_title_date_and_hashes(
    entities: list[dict[str, Any]],
) -> None:
    by_id = _by_id(entities)
    profile, raid = by_id["d1"], by_id["d2"]
    assert profile["schema"] == "PlainText" and raid["schema"] == "HyperText"
    assert profile["properties"]["title"] == ["Harbour Crew profile"]
    assert profile["properties"]["publishedAt"] == ["2021-05-04"]
    assert profile["properties"]["fileName"] == ["profile.txt"]
    assert any("ab" * 32 in note for note in profile["properties"]["notes"])
    assert "contentHash" not in profile["properties"]  # FtM checksums are SHA-1 only
    assert raid["properties"]["contentHash"] == ["0123456789abcdef0123456789abcdef01234567"]
    assert "".join(raid["properties"]["bodyText"]) == "x" * 70000


def test_text_can_be_left_out() -> None:
    docs = [e for e in ftm_entities(_export(), include_text=False) if e["id"] in ("d1", "d2")]
    assert all("bodyText" not in d["properties"] for d in docs)


@pytest.mark.parametrize("raw", ["e_12", "t:3", "-x-", "ä"])
def test_ids_that_ftm_rejects_are_made_valid_and_distinct(raw: str) -> None:
    converted = ftm_id(raw)
    assert model.get_proxy({"id": "n1", "schema": "Note", "properties": {"entity": [converted]}})
    assert model["Note"].properties["entity"].type.validate(converted)
    assert converted != ftm_id(raw + "_")
    assert ftm_id("e12") == "e12"


@pytest.mark.parametrize(
    ("kind", "source", "schema"),
    [
        ("markdown", "a.md", "PlainText"),
        ("html", "page", "HyperText"),
        (None, "b.pdf", "Pages"),
        (None, "rows.csv", "Table"),
        (None, "https://example.org/story", "Document"),
    ],
)
def test_document_schema_follows_kind_then_extension(
    kind: str | None, source: str, schema: str
) -> None:
    doc = {"id": "d9", "title": "T", "source": source, "sha256": "0" * 64, "published": None}
    if kind:
        doc["kind"] = kind
    export = {"threadline_export": 1, "documents": [doc], "entities": [], "ties": []}
    (data,) = ftm_entities(export)
    assert data["schema"] == schema
    model.get_proxy(data).schema.validate(data)


def test_an_email_is_an_ftm_email_with_subject_and_date() -> None:
    export = _export()
    export["documents"].append(
        {
            "id": "d3",
            "kind": "email",
            "title": "Re: the van",
            "source": "cases/harbour/mail.eml",
            "published": "2021-05-02",
            "text": "Bring the van to Dock 9.",
        }
    )
    mail = _by_id(ftm_entities(export))["d3"]
    assert mail["schema"] == "Email"
    assert mail["properties"]["subject"] == ["Re: the van"]
    assert mail["properties"]["date"] == ["2021-05-02"]
    assert model.get_proxy(mail).schema.name == "Email"


def test_roles_become_topics_where_one_fits() -> None:
    data = _export()
    data["entities"][0]["role"] = "network"
    data["entities"][2]["role"] = "network"
    data["entities"][5]["role"] = "journalist"
    data["entities"][1]["role"] = "victim"
    topics = {
        e["properties"]["name"][0]: e["properties"].get("topics", [])
        for e in ftm_entities(data)
        if e["schema"] in ("Person", "Organization")
    }
    assert topics["Tarik Voss"] == ["poi"]
    assert topics["Harbour Crew"] == ["crime"]
    assert topics["Ivo Brandt"] == ["role.journo"]
    assert topics["Milan Voss"] == []  # no topic says "victim"
