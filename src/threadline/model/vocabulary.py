"""The domain vocabulary as data: tie types and entity schemata.

The API, the report and the web page read these tables; nothing else in the
code base lists tie types by hand.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TieType:
    """One kind of tie between two entities.

    ``directed`` ties read "source <type> target" (``member_of``: person -> group);
    undirected ties have no meaningful order and are stored with sorted ends.
    ``type_class`` groups types that an analyst treats as one family of relation.
    """

    name: str
    meaning: str
    ftm_schema: str
    directed: bool
    type_class: str


TIE_TYPES: dict[str, TieType] = {
    t.name: t
    for t in (
        TieType("family", "brothers, cousins, spouses (detail says which)", "Family", False, "kin"),
        TieType("associate", "friends, prison comrades, gang members", "Associate", False, "kin"),
        TieType("member_of", "person in a group, network or unit", "Membership", True, "org"),
        TieType("leader_of", "leads, runs, is emir of", "Membership", True, "org"),
        TieType("recruited_by", "recruited, mentored, guided by", "UnknownLink", True, "org"),
        TieType("communicated_with", "calls, messages, in touch with", "UnknownLink", False, "ops"),
        TieType(
            "shared_residence", "lived in or rented the same place", "UnknownLink", False, "ops"
        ),
        TieType("travelled_with", "travelled or was stopped together", "UnknownLink", False, "ops"),
        TieType("participated_in", "took part in an event", "Event", True, "event"),
        TieType("located_in", "entity or event at a place", "UnknownLink", True, "place"),
        TieType("other", "anything else; detail says what", "UnknownLink", False, "other"),
    )
}

#: Entity schemata (FollowTheMoney names) that the pipeline produces.
ENTITY_SCHEMATA: tuple[str, ...] = ("Person", "Organization", "Address", "Event")


def tie_type(name: str) -> TieType:
    """Return the :class:`TieType` called ``name``; unknown names raise ``KeyError``."""
    return TIE_TYPES[name]


#: The document kind of an imported edge list (a graph-only source).
EDGE_LIST_KIND = "edgelist"
#: The document kind of an imported table of person records (``threadline records import``).
RECORDS_KIND = "records"
#: Document kinds that hold no prose: the language extractor passes them over,
#: their mentions and ties come from their own reader.
NON_PROSE_KINDS = frozenset({EDGE_LIST_KIND, RECORDS_KIND})
