"""The per-document review: a document's text, every mention found in it and every
tie it states, each with the analyst's correction in force (issue 18).

The workbench's review page reads this to show the text with each mention marked
and the ties beside it. Mentions come from the workspace (the ones no entity holds
any more, such as a rejected one, are listed too, so that the analyst can see and
undo the correction); ties come from the snapshot: those between two entities named
in the document whose evidence lies in it, with the mentions the extractor tied
(from the document's assertions) when the evidence span matches one.

Needs: a :class:`~threadline.api.state.Workbench` (its snapshot and database).
Produces: the :class:`~threadline.api.models.DocumentReview` body.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from threadline.api.snapshot import Snapshot
from threadline.api.state import Workbench
from threadline.model import Document, Evidence, Mention
from threadline.model.vocabulary import TIE_TYPES
from threadline.resolve.corrections import correction_rows

#: The schema a mention's label stands for (as the resolver reads it).
LABEL_SCHEMA = {"PERSON": "Person", "ORG": "Organization", "PLACE": "Address", "EVENT": "Event"}


def _end(snap: Snapshot, i: int, mention: Mention | None) -> dict[str, Any]:
    ref = snap.refs[i]
    return {
        "id": ref["id"],
        "name": ref["name"],
        "schema": ref["schema"],
        "mention": mention.id if mention else None,
        "start": mention.start if mention else None,
        "end": mention.end if mention else None,
    }


def document_ties(
    snap: Snapshot, doc_id: str, evidence_of: dict[str, list[Evidence]]
) -> list[tuple[int, Evidence]]:
    """``(tie row, evidence)`` for every statement of a tie in ``doc_id``, by position."""
    found: list[tuple[int, Evidence]] = []
    for tie_id, items in evidence_of.items():
        k = snap.tie_index.get(tie_id)
        if k is None:
            continue
        found.extend((k, ev) for ev in items if ev.document == doc_id)
    found.sort(key=lambda x: (x[1].start, x[1].end, snap.ties.ids[x[0]]))
    return found


def candidate_ties(snap: Snapshot, rows: set[int]) -> list[int]:
    """Tie rows whose two ends are both among ``rows`` (entities named in the document)."""
    adj = snap.adjacency
    chosen: set[int] = set()
    members = np.fromiter(rows, dtype=np.int64, count=len(rows))
    for v in rows:
        lo, hi = int(adj.offset[v]), int(adj.offset[v + 1])
        if lo == hi:
            continue
        inside = np.isin(adj.node[lo:hi], members)
        chosen.update(int(e) for e in adj.edge[lo:hi][inside])
    return sorted(k for k in chosen if not snap.ties.asserted[k])


def build_review(
    wb: Workbench, doc: Document, corrections: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The review body of ``doc`` (see the module docstring). ``corrections`` (default:
    the workspace's, as ``GET /api/corrections`` lists them) are put on the mentions
    and ties they name; those in force that name a span of ``doc`` and sit on none
    of them are listed as the document's."""
    snap = wb.snapshot
    with wb.database() as ws:
        if corrections is None:
            corrections = correction_rows(ws)
        mentions = ws.document_mentions(doc.id)
        assertions = [a for a in ws.document_assertions(doc.id) if a.kind == "tie"]
        rows = {snap.mention_entity[m.id] for m in mentions if m.id in snap.mention_entity} | {
            i for _, _, i in snap.spans.get(doc.id, [])
        }
        candidates = candidate_ties(snap, rows)
        evidence_of = ws.tie_evidence(snap.ties.ids[k] for k in candidates)
    by_id = {m.id: m for m in mentions}
    stated: dict[tuple[int, int], list[tuple[Mention | None, Mention | None]]] = {}
    for a in assertions:
        pair = (by_id.get(a.a), by_id.get(a.b) if a.b else None)
        stated.setdefault((a.evidence.start, a.evidence.end), []).append(pair)

    mention_items = []
    for m in mentions:
        i = snap.mention_entity.get(m.id)
        mention_items.append(
            {
                "id": m.id,
                "start": m.start,
                "end": m.end,
                "text": doc.text[m.start : m.end],
                "label": m.label,
                "schema": snap.schema[i] if i is not None else LABEL_SCHEMA.get(m.label, m.label),
                "entity": snap.entity_ids[i] if i is not None else None,
                "name": snap.name[i] if i is not None else None,
                "segment": m.segment,
                "extractor": m.extractor,
                "confidence": round(float(m.confidence), 3),
                "corrections": [],
            }
        )

    tie_items = []
    ties = snap.ties
    for k, ev in document_ties(snap, doc.id, evidence_of):
        src, dst = int(ties.src[k]), int(ties.dst[k])
        ends = _ends(snap, stated.get((ev.start, ev.end), []), src, dst)
        if ends[0] is None:
            ends = (_inside(snap, mentions, ev, src), ends[1])
        if ends[1] is None:
            ends = (ends[0], _inside(snap, mentions, ev, dst))
        kind = ties.type_of(k)
        tie_items.append(
            {
                "id": ties.ids[k],
                "type": kind,
                "directed": bool(TIE_TYPES[kind].directed) if kind in TIE_TYPES else False,
                "detail": ties.detail[k],
                "source": _end(snap, src, ends[0]),
                "target": _end(snap, dst, ends[1]),
                "start": ev.start,
                "end": ev.end,
                "quote": ev.quote,
                "extractor": ev.extractor,
                "confidence": round(float(ev.confidence), 3),
                "inferred": bool(ties.inferred[k]),
                "hedged": bool(ev.hedged or ties.hedged[k]),
                "corrections": [],
            }
        )
    unplaced = _attach(corrections, doc.id, mention_items, tie_items)
    return {
        "id": doc.id,
        "title": doc.title,
        "published": doc.published,
        "outlet": doc.outlet,
        "text": doc.text,
        "segments": doc.segments,
        "mentions": mention_items,
        "ties": tie_items,
        "corrections": unplaced,
        "generation": wb.generation,
    }


def _ends(
    snap: Snapshot, pairs: list[tuple[Mention | None, Mention | None]], src: int, dst: int
) -> tuple[Mention | None, Mention | None]:
    """The mentions a sentence ties, as the tie's (source, target), if one pair fits."""
    for one, other in pairs:
        e1 = snap.mention_entity.get(one.id) if one else None
        e2 = snap.mention_entity.get(other.id) if other else None
        if (e1, e2) == (src, dst):
            return one, other
        if (e1, e2) == (dst, src):
            return other, one
    return None, None


def _inside(snap: Snapshot, mentions: list[Mention], ev: Evidence, row: int) -> Mention | None:
    """The first mention of entity ``row`` inside the evidence span (a tie no assertion
    states, such as one from an event's name or one inferred)."""
    for m in mentions:
        if ev.start <= m.start and m.end <= ev.end and snap.mention_entity.get(m.id) == row:
            return m
    return None


#: The statuses of a correction in force (``undone`` and ``undo`` rows are history).
IN_FORCE = ("applied", "dormant")
MENTION_LEVEL = ("reject_mention", "set_mention_schema")
TIE_LEVEL = ("reject_tie", "retype_tie")


def _overlaps(span: dict[str, Any], start: int | None, end: int | None) -> bool:
    """The same place of the text: the two spans share at least half of the shorter
    one (as the corrections themselves match spans again after a re-extraction)."""
    if start is None or end is None:
        return False
    shared = min(span["end"], end) - max(span["start"], start)
    shorter: int = min(span["end"] - span["start"], end - start)
    return bool(shared > 0 and 2 * shared >= max(1, shorter))


def _about_tie(spans: list[dict[str, Any]], t: dict[str, Any]) -> bool:
    """Whether a tie correction's spans name this statement: its sentence, and its two
    ends when both are known (a sentence may state several ties)."""
    for group in {s.get("group", 0) for s in spans}:
        part = {s.get("part"): s for s in spans if s.get("group", 0) == group}
        sentence = part.get("evidence")
        if sentence is None or not _overlaps(sentence, t["start"], t["end"]):
            continue
        x, y = part.get("source"), part.get("target")
        a, b = t["source"], t["target"]
        if x is None or y is None or a["start"] is None or b["start"] is None:
            return True
        same = _overlaps(x, a["start"], a["end"]) and _overlaps(y, b["start"], b["end"])
        if same or (_overlaps(y, a["start"], a["end"]) and _overlaps(x, b["start"], b["end"])):
            return True
    return False


def _attach(
    corrections: list[dict[str, Any]],
    doc_id: str,
    mentions: list[dict[str, Any]],
    ties: list[dict[str, Any]],
) -> list[dict[str, Any]]:
    """Put each correction in force on the mentions and ties of ``doc_id`` it is about
    (an entity's correction on each mention of the entity); return those that name a
    span of this document yet sit on none of them (a rejected tie, a dormant one)."""
    unplaced = []
    for c in corrections:
        if c.get("status") not in IN_FORCE:
            continue
        spans = [s for s in c.get("spans", []) if s.get("document") == doc_id]
        applied_to = set(c.get("mentions") or [])
        placed = False
        if c["kind"] in TIE_LEVEL:
            for t in ties:
                if t["id"] == c.get("tie") or (spans and _about_tie(spans, t)):
                    t["corrections"].append(c)
                    placed = True
        else:
            own = [s for s in spans if s.get("part", "mention") == "mention"]
            named = {c.get("mention")} | applied_to if c["kind"] in MENTION_LEVEL else applied_to
            hits = [m for m in mentions if m["id"] in named]
            if not hits:  # dormant, or held by no entity now: by the text
                hits = [m for m in mentions if any(_overlaps(x, m["start"], m["end"]) for x in own)]
            for m in hits:
                m["corrections"].append(c)
            placed = bool(hits)
        if spans and not placed:
            unplaced.append(c)
    return unplaced
