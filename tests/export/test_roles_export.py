"""The role of each person and organisation in the JSON export of the seeds."""

from __future__ import annotations

from typing import Any

from threadline.extract.roles import ORG_ROLES, PERSON_ROLES


def test_every_person_and_organisation_has_a_role(seeds_run: dict[str, Any]) -> None:
    ents = seeds_run["export"]["entities"]
    people = [e for e in ents if e["schema"] == "Person"]
    orgs = [e for e in ents if e["schema"] in ("Organization", "PublicBody", "Company")]
    assert people and orgs
    assert {e.get("role") for e in people} <= set(PERSON_ROLES)
    assert {e.get("role") for e in orgs} <= set(ORG_ROLES)


def test_picture_credits_are_journalists(seeds_run: dict[str, Any]) -> None:
    ents = seeds_run["export"]["entities"]
    credited = [
        e
        for e in ents
        if e["schema"] == "Person" and any(ev["extractor"] == "credit-line" for ev in e["evidence"])
    ]
    assert credited
    assert {e["role"] for e in credited} == {"journalist"}


def test_groups_the_seeds_describe_as_networks_are_networks(seeds_run: dict[str, Any]) -> None:
    ents = seeds_run["export"]["entities"]
    networks = [e["name"] for e in ents if e["schema"] != "Person" and e.get("role") == "network"]
    assert any("network" in n.lower() or "group" in n.lower() for n in networks), networks
