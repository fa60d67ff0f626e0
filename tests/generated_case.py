"""A generated case at scale: an analysis export of about 1,000 fictional entities.

Like the 40-article corpus a new user tried: a connected core of a few dozen
people and groups (family, recruitment, membership, travel, each quoted from a
document) and hundreds of names the sources mention once and tie to nobody,
plus a few peripheral pairs. Names are built from syllables: nobody real.
Metrics come from the real analysis (:func:`threadline.analyze.graph.network_metrics`),
as ``threadline run`` would store them.
"""

from __future__ import annotations

import random
from typing import Any

from threadline.analyze.graph import network_metrics
from threadline.model import Entity, Evidence, Tie

_FIRST = [
    "Ardo",
    "Belin",
    "Corvo",
    "Dasha",
    "Elko",
    "Farin",
    "Gesta",
    "Hollo",
    "Ivra",
    "Jomel",
    "Kesto",
    "Lirra",
    "Movan",
    "Nessa",
    "Orlin",
    "Pavra",
    "Quen",
    "Rusko",
    "Selva",
    "Tarin",
]
_LAST = ["Brask", "Colder", "Dunmore", "Estvale", "Fenwick", "Garrow", "Halvard", "Ingrel",
         "Jastrow", "Kelden", "Lorrim", "Marsk", "Norrow", "Osgard", "Pellin", "Quarrow",
         "Rendel", "Stavik", "Tormel", "Ulvane", "Varrow", "Wendal", "Yarrow", "Zorvik"]  # fmt: skip
_GROUP = ["Harbour", "Grey", "North", "Iron", "Canal", "Orchard", "Lantern", "Quarry"]
_KIND = ["Crew", "Brotherhood", "Circle", "Network", "Company", "Front"]


def _names(rng: random.Random, n: int) -> list[str]:
    seen: set[str] = set()
    out = []
    while len(out) < n:
        name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        if name not in seen:
            seen.add(name)
            out.append(name)
        elif len(seen) > 400:  # the syllables run out: add a middle initial
            name = f"{rng.choice(_FIRST)} {chr(65 + len(out) % 26)}. {rng.choice(_LAST)}"
            if name not in seen:
                seen.add(name)
                out.append(name)
    return out


def generated_export(
    *, total: int = 1000, core_people: int = 36, core_groups: int = 4, seed: int = 19
) -> dict[str, Any]:
    """An export of ``total`` entities whose connected core holds ``core_people``
    people and ``core_groups`` groups; ``core`` lists the core's ids (for tests)."""
    rng = random.Random(seed)
    documents = [
        {"id": f"d{i}", "title": f"Report {i} on the harbour case", "source": f"report-{i}.txt",
         "sha256": f"{i:064x}", "published": f"2021-{1 + i % 12:02d}-{1 + i % 27:02d}"}
        for i in range(40)
    ]  # fmt: skip
    people = _names(rng, total)
    entities: list[Entity] = []
    core = [f"p{i}" for i in range(core_people)] + [f"g{i}" for i in range(core_groups)]
    for i in range(core_people):
        entities.append(Entity(f"p{i}", "Person", people[i], [people[i]], [], [f"m-p{i}"]))
    for i in range(core_groups):
        name = f"{_GROUP[i % len(_GROUP)]} {_KIND[i % len(_KIND)]}"
        entities.append(Entity(f"g{i}", "Organization", name, [name], [], [f"m-g{i}"]))
    ties: list[Tie] = []

    def tie(kind: str, a: str, b: str) -> None:
        doc = rng.choice(documents)["id"]
        quote = f"{names[a]} and {names[b]}: {kind.replace('_', ' ')}, the report says."
        ev = Evidence(doc, 0, len(quote), quote, "generated", 0.8)
        ties.append(Tie(f"t{len(ties)}", kind, a, b, "", 0.8, [ev]))

    names = {e.id: e.name for e in entities}
    # the core: each person in a group, a recruiter chain, families, travel pairs
    for i in range(core_people):
        tie("member_of", f"p{i}", f"g{i % core_groups}")
        if i:
            tie("recruited_by", f"p{i}", f"p{rng.randrange(0, i)}")
        if i % 5 == 1:
            tie("family", f"p{i}", f"p{i - 1}")
        if i % 7 == 3:
            tie("travelled_with", f"p{i}", f"p{rng.randrange(core_people)}")
    for i in range(1, core_groups):
        tie("associate", f"g{i}", f"g{i - 1}")
    # the periphery: names mentioned once, a few pairs, places and events nobody is tied to
    rest = total - len(entities)
    for n in range(rest):
        i = core_people + n
        kind = "Person" if n % 10 < 7 else ("Organization" if n % 10 < 8 else "Address")
        eid = f"x{n}"
        name = people[i] if kind == "Person" else f"{people[i].split()[1]} {_KIND[n % 6]}"
        if kind == "Address":
            name = f"{n} {people[i].split()[1]} Street"
        entities.append(Entity(eid, kind, name, [name], [], [f"m-{eid}"]))
        names[eid] = name
    for n in range(0, 60, 2):  # thirty peripheral pairs
        tie("associate", f"x{n * 10}", f"x{n * 10 + 1}")
    metrics = network_metrics(entities, ties)
    doc_of = {f"m-{e.id}": documents[k % len(documents)]["id"] for k, e in enumerate(entities)}
    return {
        "threadline_export": 1,
        "documents": documents,
        "entities": [
            {"id": e.id, "schema": e.schema, "name": e.name, "names": e.names, "aliases": [],
             "roles": [], "documents": [doc_of[m] for m in e.mentions],
             "metrics": metrics.get(e.id, {})}
            for e in entities
        ],
        "ties": [
            {"id": t.id, "type": t.type, "source": t.source, "target": t.target, "detail": "",
             "confidence": t.confidence, "evidence": [ev.to_dict() for ev in t.evidence]}
            for t in ties
        ],
        "claims": [],
        "conflicts": [],
        "core": core,
    }  # fmt: skip
