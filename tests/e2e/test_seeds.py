"""End to end on the five real seed articles (read from ../shared)."""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest
from tests.conftest import entity_named, ties_between

pytestmark = pytest.mark.slow


def _doc_by_prefix(export: dict[str, Any], prefix: str) -> dict[str, Any]:
    return next(d for d in export["documents"] if d["source"].rsplit("/", 1)[-1].startswith(prefix))


def _person(export: dict[str, Any], name: str) -> dict[str, Any]:
    found = entity_named(export, name, "Person")
    assert len(found) == 1, f"{name!r} should be exactly one Person, found {len(found)}"
    return found[0]


def test_alias_soufiane_kayal_is_najim_laachraoui(seeds_run: dict[str, Any]) -> None:
    export = seeds_run["export"]
    laachraoui = _person(export, "Najim Laachraoui")
    assert "Soufiane Kayal" in laachraoui["aliases"]
    assert entity_named(export, "Soufiane Kayal") == [laachraoui]


def test_resolve_keeps_abdeslam_brothers_apart(seeds_run: dict[str, Any]) -> None:
    export = seeds_run["export"]
    salah = _person(export, "Salah Abdeslam")
    brahim = _person(export, "Brahim Abdeslam")
    assert salah["id"] != brahim["id"]
    assert "Saleh Abdeslam" in salah["names"], "the spelling variant joins Salah"
    family = [t for t in ties_between(export, salah["id"], brahim["id"]) if t["type"] == "family"]
    assert family, "004 states that Brahim is Saleh's brother"


def test_abaaoud_abdeslam_old_friends_tie_quotes_foreign_affairs(seeds_run: dict[str, Any]) -> None:
    export = seeds_run["export"]
    abaaoud = _person(export, "Abdelhamid Abaaoud")
    salah = _person(export, "Salah Abdeslam")
    doc004 = _doc_by_prefix(export, "004")
    ties = ties_between(export, abaaoud["id"], salah["id"])
    quotes = [ev["quote"] for t in ties for ev in t["evidence"] if ev["document"] == doc004["id"]]
    assert any("old friend" in q for q in quotes), quotes


def test_every_evidence_quote_is_the_document_span(seeds_run: dict[str, Any]) -> None:
    export = seeds_run["export"]
    texts = {d["id"]: d["text"] for d in export["documents"]}
    evidence = [ev for e in export["entities"] for ev in e["evidence"]]
    evidence += [ev for t in export["ties"] for ev in t["evidence"]]
    evidence += [ev for c in export["claims"] for ev in c["evidence"]]
    assert len(evidence) > 200
    for ev in evidence:
        assert texts[ev["document"]][ev["start"] : ev["end"]] == ev["quote"]


def test_plain_text_is_stored_exactly_as_the_file(seeds_run: dict[str, Any]) -> None:
    from pathlib import Path

    for d in seeds_run["export"]["documents"]:
        assert Path(d["source"]).read_bytes().decode("utf-8") == d["text"]


def test_ftm_export_validates_with_followthemoney(seeds_run: dict[str, Any]) -> None:
    import json

    from followthemoney import model

    lines = (seeds_run["out"] / "entities.ftm.json").read_text(encoding="utf-8").splitlines()
    entities = [json.loads(line) for line in lines]
    ids = {data["id"] for data in entities}
    schemata = set()
    for data in entities:
        proxy = model.get_proxy(data, cleaned=False)  # re-cleans every value, as FtM reads it
        schemata.add(proxy.schema.name)
        assert proxy.id == data["id"]
        assert proxy.to_dict()["properties"] == data["properties"], data["id"]
        for prop, value in proxy.itervalues():
            if prop.type.name == "entity":
                assert value in ids, f"{data['id']}.{prop.name} -> {value}: not in the export"
    assert {"Person", "Organization"} <= schemata
    assert schemata & {"Family", "Associate", "Membership", "UnknownLink"}


def test_graphml_loads_in_networkx(seeds_run: dict[str, Any]) -> None:
    g = nx.read_graphml(seeds_run["out"] / "network.graphml")
    labels = {data.get("label") for _, data in g.nodes(data=True)}
    assert "Najim Laachraoui" in labels
    assert g.number_of_edges() >= 10


def test_key_people_and_casualty_claims(seeds_run: dict[str, Any]) -> None:
    export = seeds_run["export"]
    brussels = [
        e for e in export["entities"] if e["schema"] == "Event" and "brussels" in e["name"].lower()
    ]
    assert brussels, "the Brussels attacks are an event"
    deaths = {
        c["value"]
        for c in export["claims"]
        if c["subject"] == brussels[0]["id"] and c["quantity"] == "deaths"
    }
    assert {26, 31} <= deaths
    conflict = [c for c in export["conflicts"] if c["subject"] == brussels[0]["id"]]
    assert conflict and len(conflict[0]["claims"]) >= 3


def test_comment_handles_never_become_entities(
    seeds_run: dict[str, Any], gold: dict[str, Any]
) -> None:
    names = {n for e in seeds_run["export"]["entities"] for n in e["names"] + e["aliases"]}
    for handle in gold["noise"]["comment_handles"]:
        assert handle not in names
    for boiler in ("ATTENTION EDITORS", "TPX IMAGES OF THE DAY"):
        assert boiler not in names


def test_brussels_death_toll_conflict_in_report_ordered_by_date(
    seeds_run: dict[str, Any], gold: dict[str, Any]
) -> None:
    import html

    export = seeds_run["export"]
    topic = next(
        c for c in gold["contradictions"] if "Brussels" in c["topic"] and "death" in c["topic"]
    )
    brussels = next(
        e
        for e in export["entities"]
        if e["schema"] == "Event" and e["name"].lower().startswith("brussels")
    )
    conflict = next(
        c
        for c in export["conflicts"]
        if c["subject"] == brussels["id"] and c["quantity"] == "deaths"
    )
    quotes = [s["quote"] for s in conflict["sides"]]
    for value in topic["values"]:
        assert any(value["quote"] in q for q in quotes), value["quote"]
    published = [s["published"] for s in conflict["sides"]]
    known = [p for p in published if p]
    assert known == sorted(known) and published[: len(known)] == known  # dated first, in order
    assert conflict["compatible"] is True  # "at least" figures can all be true
    report = html.unescape((seeds_run["out"] / "report.html").read_text(encoding="utf-8"))
    for value in topic["values"]:
        assert value["quote"] in report


def test_all_numeric_contradiction_topics_found(
    seeds_run: dict[str, Any], gold: dict[str, Any]
) -> None:
    from threadline.evaluate import score, score_claims

    result = score(seeds_run["export"], gold)
    assert result.contradictions.found == result.contradictions.total == 5
    claims = score_claims(seeds_run["export"], gold)
    assert claims.recall is not None and claims.recall >= 0.9, claims.missed
