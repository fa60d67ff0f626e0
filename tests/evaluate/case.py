"""A small fictional case for the scoring tests: three texts, a gold file, exports built from them.

Every name, text and figure here is made up for the tests. Exports are built
at run time with evidence offsets found in the texts, so quotes are exact
unless a test spoils one on purpose.
"""

from __future__ import annotations

import copy
from typing import Any

TEXTS = {
    "k01_depot-fire.txt": (
        "RIVERTON - At least 4 people died in the depot fire on 2024-03-02, officials said.\n"
        "Karim Haddou, a member of the Black Tide Brigade, was seen near the depot with "
        "Yassin Benali, who also belongs to the Brigade. Yassin Benali is the brother of "
        "Tarik Benali. Haddou phoned Benali the night before.\n"
        "SHARE THIS ARTICLE\n"
        "TideWatcher99: they had it coming\n"
    ),
    "k02_raid.txt": (
        "Six people were killed in the fire, the Federal Police said on March 3, 2024. "
        "Commissioner Ilse Vermeer of the Federal Police said Karim Haddou leads the Black "
        "Tide Brigade. His sister Nadia Haddou, 31, was questioned. Haddou is also known "
        "as Abu Zayd.\n"
    ),
    "k03_trial.txt": (
        "Tarik Benali told the court that Karim Haddou recruited him in 2022 and that he "
        "paid the Black Tide Brigade 2,000 euros. Police put the toll at 4. "
        "Reporting by Pieter Claes.\n"
    ),
}


def _person(pid: str, canonical: str, mentions: list[str], docs: list[str], role: str,
            aliases: tuple[str, ...] = (), **extra: Any) -> dict[str, Any]:  # fmt: skip
    return {
        "id": pid,
        "canonical": canonical,
        "mentions": mentions,
        "aliases": list(aliases),
        "docs": docs,
        "roles": [],
        "role_class": role,
        **extra,
    }


GOLD: dict[str, Any] = {
    "persons": [
        _person(
            "karim",
            "Karim Haddou",
            ["Karim Haddou", "Haddou"],
            ["k01", "k02", "k03"],
            "network",
            aliases=("Abu Zayd", "@karimh"),
        ),  # fmt: skip
        _person("yassin", "Yassin Benali", ["Yassin Benali", "Benali"], ["k01"], "network"),
        _person("tarik", "Tarik Benali", ["Tarik Benali", "Benali"], ["k01", "k03"], "network"),
        _person("nadia", "Nadia Haddou", ["Nadia Haddou"], ["k02"], "other"),
        _person("vermeer", "Ilse Vermeer", ["Ilse Vermeer", "Vermeer"], ["k02"], "official"),
        _person("claes", "Pieter Claes", ["Pieter Claes"], ["k03"], "journalist", optional=True),
    ],
    "organizations": [
        {
            "id": "brigade",
            "canonical": "Black Tide Brigade",
            "mentions": ["Black Tide Brigade", "the Brigade"],
            "docs": ["k01", "k02", "k03"],
        },
        {
            "id": "police",
            "canonical": "Federal Police",
            "mentions": ["Federal Police"],
            "docs": ["k02"],
        },
    ],  # fmt: skip
    "places": [
        {"id": "riverton", "canonical": "Riverton", "mentions": ["RIVERTON"], "docs": ["k01"]}
    ],
    "events": [],
    "relations": [
        {"a": "karim", "b": "brigade", "type": "member_of", "doc": "k01"},
        {"a": "yassin", "b": "brigade", "type": "member_of", "doc": "k01"},
        {"a": "yassin", "b": "tarik", "type": "family", "doc": "k01"},
        {"a": "karim", "b": "yassin", "type": "communicated_with", "doc": "k01"},
        {"a": "karim", "b": "brigade", "type": "leader_of", "doc": "k02"},
        {"a": "karim", "b": "nadia", "type": "family", "doc": "k02"},
        {"a": "vermeer", "b": "police", "type": "member_of", "doc": "k02"},
        {"a": "karim", "b": "karim", "type": "alias_of", "doc": "k02"},
        {"a": "tarik", "b": "karim", "type": "recruited_by", "doc": "k03"},
        {"a": "tarik", "b": "brigade", "type": "funded", "doc": "k03"},
        {"a": "karim", "b": "riverton", "type": "located_in", "doc": "k01"},
    ],
    "contradictions": [
        {
            "topic": "deaths in the depot fire",
            "values": [
                {"value": "at least 4", "doc": "k01"},
                {"value": "6", "doc": "k02"},
                {"value": "4 (police)", "doc": "k03"},
            ],
        },
        {
            "topic": "date of the fire",
            "values": [
                {"value": "2024-03-02", "doc": "k01"},
                {"value": "March 3, 2024", "doc": "k02"},
            ],
        },
        {
            "topic": "who leads the Brigade",
            "values": [{"value": "Karim Haddou", "doc": "k02"}, {"value": "unknown", "doc": "k01"}],
        },
    ],  # fmt: skip
    "noise": {
        "comment_handles": ["TideWatcher99"],
        "non_entities_to_avoid": ["SHARE THIS ARTICLE"],
    },
}

DOC_IDS = {name: f"doc-{name[:3]}" for name in TEXTS}


def evidence(quote: str, prefix: str | None = None) -> list[dict[str, Any]]:
    """Evidence for ``quote`` in the first text (or the one named by ``prefix``) that has it."""
    for name, text in TEXTS.items():
        if (prefix is None or name.startswith(prefix)) and quote in text:
            start = text.index(quote)
            return [{"document": DOC_IDS[name], "start": start, "end": start + len(quote),
                     "quote": quote}]  # fmt: skip
    raise AssertionError(f"{quote!r} is in no text")


def documents(folder: str = "/data/case") -> list[dict[str, Any]]:
    return [
        {"id": DOC_IDS[name], "title": name, "source": f"{folder}/{name}", "text": text}
        for name, text in TEXTS.items()
    ]


def entity(eid: str, schema: str, *names: str, aliases: tuple[str, ...] = (),
           role: str | None = None, quote: str | None = None) -> dict[str, Any]:  # fmt: skip
    out: dict[str, Any] = {"id": eid, "schema": schema, "name": names[0], "names": list(names),
                           "aliases": list(aliases), "evidence": evidence(quote or names[0])}  # fmt: skip
    if role is not None:
        out["role"] = role
    return out


def tie(source: str, target: str, kind: str, quote: str, **extra: Any) -> dict[str, Any]:
    return {"id": f"t-{source}-{target}-{kind}", "source": source, "target": target,
            "type": kind, "evidence": evidence(quote), **extra}  # fmt: skip


def claim(cid: str, value: Any, quote: str, quantity: str = "deaths") -> dict[str, Any]:
    return {"id": cid, "subject": "e-fire", "quantity": quantity, "value": value,
            "evidence": evidence(quote)}  # fmt: skip


def flawed_export() -> dict[str, Any]:
    """An export with one of each mistake the rule counts."""
    entities = [
        entity(
            "e-karim", "Person", "Karim Haddou", "Haddou", aliases=("Abu Zayd",), role="network"
        ),
        entity("e-karim2", "Person", "Haddou", role="official"),  # split, wrong role
        entity("e-yassin", "Person", "Yassin Benali", role="network"),
        entity("e-tarik", "Person", "Tarik Benali"),  # no role
        entity("e-benali", "Person", "Benali"),  # a tie between two gold persons
        entity("e-mixed", "Person", "Ilse Vermeer", "Nadia Haddou", role="official"),  # over-merged
        entity("e-claes", "Person", "Pieter Claes", role="journalist"),  # optional
        entity("e-share", "Person", "SHARE THIS ARTICLE"),  # noise, matches no one
        entity("e-handle", "Person", "TideWatcher99", role="network"),  # noise, says network
        entity("e-depot", "Person", "Riverton", quote="RIVERTON"),  # junk person
        entity("e-brigade", "Organization", "the Brigade", "Black Tide Brigade"),
        entity("e-court", "Organization", "Federal Police"),
        entity("e-place", "Address", "RIVERTON"),
    ]
    ties = [
        tie(
            "e-karim", "e-brigade", "member_of", "Karim Haddou, a member of the Black Tide Brigade"
        ),
        tie("e-brigade", "e-yassin", "member_of", "Yassin Benali, who also belongs to the Brigade"),
        tie("e-yassin", "e-tarik", "family", "Yassin Benali is the brother of Tarik Benali"),
        tie("e-karim2", "e-yassin", "associate", "Haddou phoned Benali the night before"),
        tie("e-karim", "e-tarik", "recruited_by", "Karim Haddou recruited him in 2022"),
        tie(
            "e-tarik",
            "e-brigade",
            "other",
            "he paid the Black Tide Brigade 2,000 euros",
            detail="funded",
        ),  # fmt: skip
        tie("e-karim", "e-mixed", "family", "His sister Nadia Haddou"),
        tie("e-karim", "e-depot", "associate", "seen near the depot"),  # junk end
        tie("e-yassin", "e-depot", "associate", "seen near the depot"),  # another junk pair
        tie("e-karim", "e-place", "located_in", "RIVERTON"),  # to an address
        tie("e-claes", "e-tarik", "associate", "Reporting by Pieter Claes", inferred=True),
        tie("e-karim", "e-yassin", "communicated_with", "Haddou phoned Benali", inferred=True),
        tie("e-karim", "e-karim2", "associate", "Haddou"),  # both ends one gold person
    ]
    spoiled = tie("e-mixed", "e-court", "member_of", "of the Federal Police")
    spoiled["evidence"][0]["quote"] = "of the Federal Polize"  # not the text
    ties.append(spoiled)
    claims = [
        claim("c1", 4, "At least 4 people died"),
        claim("c2", 6, "Six people were killed"),
        claim("c3", "2024-03-02", "on 2024-03-02", quantity="date"),
        claim("c4", "March 3, 2024", "on March 3, 2024", quantity="date"),
        claim("c5", "2,000", "2,000 euros", quantity="amount"),
    ]
    conflicts = [
        {"subject": "e-fire", "quantity": "deaths", "claims": ["c1", "c2"]},
        {"subject": "e-fire", "quantity": "date", "claims": ["c3", "c4", "c-missing"]},
    ]
    extra_doc = {"id": "doc-z99", "title": "z99 elsewhere", "source": "/data/case/z99_other.txt"}
    return {
        "threadline_export": 1,
        "documents": [*documents(), extra_doc],
        "entities": entities,
        "ties": ties,
        "claims": claims,
        "conflicts": conflicts,
    }


def perfect_export(gold: dict[str, Any], doc_names: list[str] | None = None) -> dict[str, Any]:
    """What a flawless tool would export for ``gold``: built from the gold at run time.

    ``doc_names`` are file names of the gold's documents (each starting with a gold
    document id) for the export's document list; without them, names are made up.
    """
    gold_docs = sorted(
        {d for s in ("persons", "organizations", "places") for r in gold[s] for d in r["docs"]}
    )
    names = {
        d: next((n for n in doc_names or () if n.startswith(d)), f"{d}_doc.txt") for d in gold_docs
    }
    ev = {d: [{"document": f"doc-{d}", "start": 0, "end": 0, "quote": ""}] for d in gold_docs}
    entities: list[dict[str, Any]] = [
        {"id": p["id"], "schema": "Person", "name": p["canonical"],
         "names": [p["canonical"], *p["mentions"]], "aliases": list(p["aliases"]),
         **({"role": p["role_class"]} if p.get("role_class") else {}),
         "evidence": ev[p["docs"][0]]}
        for p in gold["persons"]
    ]  # fmt: skip
    entities += [
        {"id": o["id"], "schema": "Organization", "name": o["canonical"],
         "names": [o["canonical"], *o["mentions"]], "aliases": [], "evidence": ev[o["docs"][0]]}
        for o in gold["organizations"]
    ]  # fmt: skip
    actors = {e["id"] for e in entities}
    ties = [
        {"id": f"t{i}", "source": r["a"], "target": r["b"],
         "type": "other" if r["type"] == "funded" else r["type"], "evidence": []}
        for i, r in enumerate(gold["relations"])
        if r["a"] in actors and r["b"] in actors and r["a"] != r["b"]
        and r["type"] not in ("alias_of", "participated_in", "arrested_in", "located_in", "convicted_of")
    ]  # fmt: skip
    claims, conflicts = [], []
    for i, topic in enumerate(gold.get("contradictions", [])):
        ids = []
        for j, value in enumerate(topic["values"]):
            claims.append({"id": f"c{i}.{j}", "subject": f"topic{i}", "quantity": "value",
                           "value": value["value"],
                           "evidence": ev.get(value["doc"], [{"document": f"doc-{value['doc']}"}])})  # fmt: skip
            ids.append(f"c{i}.{j}")
        conflicts.append({"subject": f"topic{i}", "quantity": "value", "claims": ids})
    return {
        "threadline_export": 1,
        "documents": [
            {"id": f"doc-{d}", "title": d, "source": f"/data/{names[d]}"} for d in gold_docs
        ],
        "entities": entities,
        "ties": ties,
        "claims": claims,
        "conflicts": conflicts,
    }


def without(export: dict[str, Any], *entity_ids: str) -> dict[str, Any]:
    out = copy.deepcopy(export)
    out["entities"] = [e for e in out["entities"] if e["id"] not in entity_ids]
    return out
