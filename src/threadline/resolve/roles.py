"""The role of each resolved person and organisation, from its mentions' cues and its ties.

Needs: resolved :class:`Entity` records, the :class:`Mention` records they hold
(with ``attrs["role_cue"]`` from :mod:`threadline.extract.roles`) and the
resolved :class:`Tie` records. Produces: ``entity.data["role"]`` on every
Person (``network``, ``official``, ``journalist``, ``expert``, ``victim`` or
``other``) and Organization (``network``, ``state``, ``media`` or ``other``).

The cues of all mentions vote; a credit or byline makes a journalist whatever
else is said. A person the text describes as nothing in particular is
``network`` when a stated tie (not a same-sentence guess) binds it to the
network — membership, leadership, recruitment, funding of a ``network``
group, or family, recruitment, travel or a shared home with a ``network``
person (being named beside one, or a mere acquaintance, is not enough) — and
``other`` otherwise. Nothing about nationality, religion or ethnicity is read.

>>> from threadline.model import Entity, Mention
>>> m = Mention("m1", "d", 0, 3, "Ann", "PERSON", "spacy", 0.7, "Ann", "body", {"role_cue": "expert"})
>>> e = Entity("e1", "Person", "Ann", ["Ann"], [], ["m1"])
>>> assign_roles([e], {"m1": m}, [])
>>> e.data["role"]
'expert'
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

from threadline.model import Entity, Mention, Tie

#: Which cue wins a tie of votes: the rarer, more specific role first.
_PRIORITY = ("journalist", "network", "official", "expert", "victim", "other")
_ORG_PRIORITY = ("network", "state", "media", "other")
#: Stated tie types that put a person inside the network of a group or person.
_NETWORK_TIES = frozenset({"member_of", "leader_of", "recruited_by", "funded"})
_KIN_TIES = frozenset({"family", "recruited_by", "travelled_with", "shared_residence"})
SCHEMAS_WITH_ROLE = frozenset({"Person", "Organization", "PublicBody", "Company", "LegalEntity"})
#: The roles each schema may have (an analyst's correction names one of these).
ROLES_OF_SCHEMA: dict[str, tuple[str, ...]] = {
    s: (_PRIORITY if s == "Person" else _ORG_PRIORITY) for s in sorted(SCHEMAS_WITH_ROLE)
}


def _vote(cues: Iterable[str], priority: tuple[str, ...]) -> str | None:
    counts = Counter(c for c in cues if c in priority)
    if not counts:
        return None
    if "journalist" in counts:
        return "journalist"
    if "network" in counts:
        return "network"  # a leader "killed in a strike" stays in the network
    best = max(counts.values())
    return next(r for r in priority if counts.get(r) == best)


def _stated(t: Tie) -> bool:
    return not t.inferred and not any(
        ev.extractor == "cooccurrence" or ev.extractor.startswith("cooccurrence")
        for ev in t.evidence
    )


def assign_roles(
    entities: list[Entity],
    mentions: Mapping[str, Mention],
    ties: Iterable[Tie],
    *,
    fixed: Mapping[str, str] | None = None,
) -> None:
    """Set ``data["role"]`` on every person and organisation entity (in place).

    ``fixed`` holds the roles an analyst set (``{entity id: role}``): they win over
    the cues, and a person joins the network through a tie to one of them as
    through any other member."""
    cued: dict[str, str | None] = {}
    for e in entities:
        if e.schema not in SCHEMAS_WITH_ROLE:
            continue
        if fixed and e.id in fixed:
            cued[e.id] = fixed[e.id]
            continue
        cues = [mentions[m].attrs.get("role_cue", "") for m in e.mentions if m in mentions]
        priority = _PRIORITY if e.schema == "Person" else _ORG_PRIORITY
        cued[e.id] = _vote(cues, priority)
    by_id = {e.id: e for e in entities}
    stated = [t for t in ties if _stated(t)]
    # a person described as nothing in particular joins the network through a stated tie
    for _ in range(2):  # twice: a relative of a member tied to a group
        for t in stated:
            for a, b in ((t.source, t.target), (t.target, t.source)):
                ea, eb = by_id.get(a), by_id.get(b)
                if ea is None or eb is None or ea.schema != "Person" or cued.get(a) is not None:
                    continue
                if cued.get(b) != "network":
                    continue
                if (eb.schema != "Person" and t.type in _NETWORK_TIES) or (
                    eb.schema == "Person" and t.type in _KIN_TIES | _NETWORK_TIES
                ):
                    cued[a] = "network"
    for e in entities:
        if e.schema in SCHEMAS_WITH_ROLE:
            e.data = {**e.data, "role": cued.get(e.id) or "other"}
            if fixed and e.id in fixed:
                e.data["role_by"] = "analyst"
