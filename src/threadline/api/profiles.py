"""The rows of one entity's profile, taken from the API's read model (the snapshot,
itself read from the workspace) for :func:`threadline.export.profile.entity_profiles`,
which assembles the entity page as it assembles the export's entities.

Only rows are taken here (the entity, where its names were seen, its ties, its
neighbours' names and schemata, the events' measures, dates and links, its claims);
what the page says is decided by the profile. Reading these rows from the database
on each request instead was 30 to 40 times slower under load
(docs/benchmarks.md), so the page reads what the snapshot holds in memory.
"""

from __future__ import annotations

from typing import Any

from threadline.api.snapshot import Snapshot
from threadline.export.profile import ByEntity, Sources, TieEnds, entity_profiles, span
from threadline.model import Entity


def sources(snap: Snapshot, i: int, *, judged: ByEntity, listed: ByEntity) -> Sources:
    """The rows of the profile of entity row ``i`` (``judged``, ``listed``: the
    judgements and watchlist hits by entity id)."""
    eid = snap.entity_ids[i]
    adj = snap.adjacency
    lo, hi = int(adj.offset[i]), int(adj.offset[i + 1])
    rows = sorted(set(adj.edge[lo:hi].tolist()))
    others = set(adj.node[lo:hi].tolist())
    events = [o for o in others if snap.schema[o] == "Event"]
    ties = snap.ties
    ids = snap.entity_ids
    extracted = [
        TieEnds(ties.ids[k], ties.type_of(k), ids[int(ties.src[k])], ids[int(ties.dst[k])])
        for k in rows
        if not ties.asserted[k]
    ]
    asserted = [snap.asserted[ties.ids[k]] for k in rows if ties.asserted[k]]
    mentions = snap.mentions[i]
    return Sources(
        entities=[
            Entity(
                id=eid,
                schema=snap.schema[i],
                name=snap.name[i],
                names=snap.names[i],
                aliases=snap.aliases[i],
                mentions=[],
                roles=snap.roles[i],
                data=snap.data[i] or {},
            )
        ],
        spans={eid: [span(m, m.text) for m in mentions]},
        documents={
            d: snap.documents[d] for d in {m.document for m in mentions} if d in snap.documents
        },
        metrics={ids[o]: snap.metrics[o] for o in (i, *events)},
        ties=extracted,
        asserted=asserted,
        heads={ids[o]: (snap.name[o], snap.schema[o]) for o in (i, *others)},
        claims={eid: snap.claims_by_subject.get(eid, [])},
        dates={
            ids[o]: snap.event_dates[ids[o]] for o in (i, *events) if ids[o] in snap.event_dates
        },
        judged=judged,
        listed=listed,
        links_of={ids[o]: int(snap.links[o]) for o in (i, *events)},
    )


def entity_profile(snap: Snapshot, i: int, *, judged: ByEntity, listed: ByEntity) -> dict[str, Any]:
    """The profile of entity row ``i`` (see :func:`threadline.export.profile.entity_profiles`)."""
    [found] = entity_profiles(sources(snap, i, judged=judged, listed=listed))
    return found
