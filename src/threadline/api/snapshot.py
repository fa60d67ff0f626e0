"""The workbench's in-memory read model of a workspace: a snapshot.

The API answers searches, entity pages and graph queries from memory so they
stay fast on a hundred thousand entities and a million ties: entities and their
name mentions as lists, ties as numpy columns (no quotes: evidence is read from
the workspace for the few ties a response shows) and a compressed adjacency
(CSR) for traversals. A snapshot is immutable; after a write (a judgement, an
asserted tie) the application builds a new one and swaps it in.

Needs: entities, mentions, ties (:meth:`Workspace.tie_summaries`), measures,
documents, claims and the analyst-asserted ties. Produces: :class:`Snapshot`.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any

import numpy as np

from threadline.api.search import NameIndex
from threadline.export.conflicts import find_conflicts
from threadline.export.profile import claim_entry, event_dates
from threadline.model import Claim, Document
from threadline.model.vocabulary import TIE_TYPES
from threadline.store import Workspace
from threadline.store.notes import AssertedTie, asserted_ties

_TOKENS = itertools.count(1)

#: ``first_seen`` of a tie whose sources carry no date.
UNDATED = -1
#: Measures sent with every graph node (for sizing); the others come with the entity page.
NODE_MEASURES = ("degree", "betweenness", "pagerank", "eigenvector", "key_player")
#: Entity schemata as small integers, for vectorised filters.
SCHEMA_CODES = {"Person": 0, "Organization": 1, "Address": 2, "Event": 3}


@lru_cache(maxsize=65536)
def date_ordinal(value: str | None) -> int:
    """Days since 0001-01-01 of an ISO date (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``,
    read as its first day); :data:`UNDATED` when there is no readable date.

    >>> date_ordinal("2016-03") == date(2016, 3, 1).toordinal()
    True
    """
    if not value:
        return UNDATED
    parts = str(value)[:10].split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 1
        day = int(parts[2]) if len(parts) > 2 else 1
        return date(year, month, day).toordinal()
    except (ValueError, IndexError):
        return UNDATED


@lru_cache(maxsize=65536)
def ordinal_date(value: int) -> str | None:
    return None if value == UNDATED else date.fromordinal(value).isoformat()


@dataclass(frozen=True)
class MentionRef:
    """Where one name of an entity was seen: a span of a stored document."""

    document: str
    start: int
    end: int
    text: str
    extractor: str
    confidence: float


@dataclass
class TieTable:
    """Every tie as columns; row ``i`` is the tie ``ids[i]``."""

    ids: list[str]
    src: np.ndarray
    dst: np.ndarray
    type_code: np.ndarray
    confidence: np.ndarray
    inferred: np.ndarray
    hedged: np.ndarray
    asserted: np.ndarray
    first_seen: np.ndarray
    detail: list[str]
    types: list[str]

    def __len__(self) -> int:
        return len(self.ids)

    def type_of(self, row: int) -> str:
        return self.types[int(self.type_code[row])]


@dataclass
class Adjacency:
    """Compressed adjacency: the neighbours of node ``v`` are
    ``node[offset[v]:offset[v + 1]]``, reached through the ties ``edge[...]``."""

    offset: np.ndarray
    node: np.ndarray
    edge: np.ndarray


@dataclass
class Snapshot:
    """Everything the workbench reads, held in memory. Entity ``i`` is ``entity_ids[i]``."""

    entity_ids: list[str]
    index: dict[str, int]
    schema: list[str]
    name: list[str]
    names: list[list[str]]
    aliases: list[list[str]]
    roles: list[list[str]]
    data: list[dict[str, Any]]
    metrics: list[dict[str, float]]
    links: np.ndarray  # distinct neighbours of each entity, over every tie
    mentions: list[list[MentionRef]]
    mention_entity: dict[str, int]  # mention id -> entity row
    spans: dict[str, list[tuple[int, int, int]]]  # document -> (start, end, entity)
    documents: dict[str, Document]
    ties: TieTable
    tie_index: dict[str, int]
    adjacency: Adjacency
    search: NameIndex
    asserted: dict[str, AssertedTie]
    claims: list[dict[str, Any]]
    claims_by_subject: dict[str, list[dict[str, Any]]]
    conflicts: list[dict[str, Any]]
    event_dates: dict[str, str]
    counts: dict[str, int] = field(default_factory=dict)
    refs: list[dict[str, Any]] = field(default_factory=list)  # see api.shapes.entity_ref
    schema_code: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int8))
    node_measures: list[dict[str, float]] = field(default_factory=list)  # sent with graph nodes
    #: unique per snapshot (never reused, unlike ``id()``): the key of every per-snapshot cache
    token: int = field(default_factory=lambda: next(_TOKENS))

    def schema_codes(self, schemata: frozenset[str]) -> np.ndarray:
        """The codes of ``schemata`` in :attr:`schema_code` (unknown ones match nothing)."""
        return np.asarray([SCHEMA_CODES[s] for s in schemata if s in SCHEMA_CODES], np.int8)

    def measure(self, i: int, name: str) -> float:
        """An entity's measure; ``links`` is always there, others when analyze stored them."""
        if name == "links":
            return float(self.links[i])
        return float(self.metrics[i].get(name, 0.0))

    def community(self, i: int) -> int | None:
        value = self.metrics[i].get("community")
        return None if value is None else int(value)

    def measure_names(self) -> list[str]:
        names = {k for m in self.metrics for k in m if k not in ("community", "component")}
        return ["links", *sorted(names)]

    def date_range(self) -> tuple[str | None, str | None]:
        seen = self.ties.first_seen[self.ties.first_seen != UNDATED]
        values = [date_ordinal(d.published) for d in self.documents.values() if d.published]
        if seen.size:
            values += [int(seen.min()), int(seen.max())]
        values = [v for v in values if v != UNDATED]
        if not values:
            return None, None
        return ordinal_date(min(values)), ordinal_date(max(values))


def build_snapshot(ws: Workspace) -> Snapshot:
    """Read a workspace into a :class:`Snapshot` (call with the workspace lock held)."""
    entities = ws.entities()
    entity_ids = [e.id for e in entities]
    index = {eid: i for i, eid in enumerate(entity_ids)}
    stored = ws.metrics()
    documents = {d.id: d for d in ws.documents()}

    mentions_of: dict[str, int] = {}
    for i, e in enumerate(entities):
        for mention_id in e.mentions:
            mentions_of[mention_id] = i
    refs: list[list[MentionRef]] = [[] for _ in entities]
    for m in ws.mentions():
        owner = mentions_of.get(m.id)
        doc = documents.get(m.document)
        if owner is None or doc is None:
            continue
        quote = doc.text[m.start : m.end]
        refs[owner].append(MentionRef(m.document, m.start, m.end, quote, m.extractor, m.confidence))
    spans: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    for i, items in enumerate(refs):
        items.sort(key=lambda r: (r.document, r.start))
        for r in items:
            spans[r.document].append((r.start, r.end, i))
    for found in spans.values():
        found.sort()

    analyst = {a.id: a for a in asserted_ties(ws)}
    ties = _tie_table(ws.tie_summaries(), analyst, index)
    adjacency = _adjacency(ties, len(entities))
    claims, by_subject, event_dates = _claims(ws.claims(), mentions_of, entity_ids)
    search = NameIndex(
        [(e.name, e.names, e.aliases) for e in entities],
        rank=[-stored.get(e.id, {}).get("degree", 0.0) for e in entities],
    )
    counts: dict[str, int] = defaultdict(int)
    for e in entities:
        counts[e.schema] += 1
    links = _distinct_neighbours(adjacency, len(entities))
    metrics = [stored.get(e.id, {}) for e in entities]
    entity_refs = [
        {
            "id": e.id,
            "name": e.name,
            "schema": e.schema,
            "links": int(n),
            "cell": None if m.get("community") is None else int(m["community"]),
        }
        for e, n, m in zip(entities, links.tolist(), metrics, strict=True)
    ]
    return Snapshot(
        entity_ids=entity_ids,
        index=index,
        schema=[e.schema for e in entities],
        name=[e.name for e in entities],
        names=[e.names for e in entities],
        aliases=[e.aliases for e in entities],
        roles=[e.roles for e in entities],
        data=[e.data for e in entities],
        metrics=metrics,
        links=links,
        mentions=refs,
        mention_entity=mentions_of,
        spans=dict(spans),
        documents=documents,
        ties=ties,
        tie_index={tid: k for k, tid in enumerate(ties.ids)},
        adjacency=adjacency,
        search=search,
        asserted=analyst,
        claims=claims,
        claims_by_subject=by_subject,
        conflicts=find_conflicts(
            claims, {d.id: {"title": d.title, "published": d.published} for d in documents.values()}
        ),
        event_dates=event_dates,
        counts={
            "documents": len(documents),
            "entities": len(entities),
            "ties": len(ties),
            "claims": len(claims),
            **{f"schema:{k}": v for k, v in counts.items()},
        },
        refs=entity_refs,
        schema_code=np.asarray([SCHEMA_CODES.get(e.schema, -1) for e in entities], np.int8),
        node_measures=[
            {k: round(float(m[k]), 5) for k in NODE_MEASURES if k in m} for m in metrics
        ],
    )


def _tie_table(
    rows: list[tuple[Any, ...]], analyst: dict[str, AssertedTie], index: dict[str, int]
) -> TieTable:
    """Columns of the extracted ties plus the analyst's (whose two ends still exist)."""
    types = list(TIE_TYPES)
    code = {t: k for k, t in enumerate(types)}
    kept = [r for r in rows if r[2] in index and r[3] in index and r[2] != r[3]]
    extra = [a for a in analyst.values() if a.source in index and a.target in index]
    for t in sorted({r[1] for r in kept} | {a.type for a in extra}):
        if t not in code:
            code[t] = len(types)
            types.append(t)

    def column(values: list[Any], dtype: Any) -> np.ndarray:
        return np.asarray(values, dtype=dtype).reshape(len(values))

    return TieTable(
        ids=[r[0] for r in kept] + [a.id for a in extra],
        src=column([index[r[2]] for r in kept] + [index[a.source] for a in extra], np.int32),
        dst=column([index[r[3]] for r in kept] + [index[a.target] for a in extra], np.int32),
        type_code=column([code[r[1]] for r in kept] + [code[a.type] for a in extra], np.int16),
        confidence=column(
            [float(r[4] or 0.0) for r in kept] + [a.confidence for a in extra], np.float32
        ),
        hedged=column([bool(r[5]) for r in kept] + [False] * len(extra), bool),
        inferred=column([bool(r[6]) for r in kept] + [False] * len(extra), bool),
        asserted=column([False] * len(kept) + [True] * len(extra), bool),
        first_seen=column(
            [date_ordinal(r[7]) for r in kept] + [a.created_at.date().toordinal() for a in extra],
            np.int32,
        ),
        detail=[r[8] or "" for r in kept] + [a.detail for a in extra],
        types=types,
    )


def _adjacency(ties: TieTable, n: int) -> Adjacency:
    m = len(ties)
    ends = np.concatenate([ties.src, ties.dst]).astype(np.int64)
    others = np.concatenate([ties.dst, ties.src]).astype(np.int32)
    edges = np.concatenate([np.arange(m, dtype=np.int32), np.arange(m, dtype=np.int32)])
    order = np.argsort(ends, kind="stable")
    offset = np.searchsorted(ends[order], np.arange(n + 1, dtype=np.int64)).astype(np.int64)
    return Adjacency(offset=offset, node=others[order], edge=edges[order])


def _distinct_neighbours(adj: Adjacency, n: int) -> np.ndarray:
    if n == 0:
        return np.zeros(0, dtype=np.int32)
    owner = np.repeat(np.arange(n, dtype=np.int64), np.diff(adj.offset))
    pairs = np.unique(owner * n + adj.node.astype(np.int64))
    return np.bincount(pairs // n, minlength=n).astype(np.int32)


def _claims(
    claims: list[Claim], mentions_of: dict[str, int], entity_ids: list[str]
) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]], dict[str, str]]:
    """Claims as in the analysis export (subject = entity id), by subject, and event dates
    (as the entity profile dates them: :func:`threadline.export.profile.event_dates`)."""
    out: list[dict[str, Any]] = []
    by_subject: dict[str, list[dict[str, Any]]] = defaultdict(list)
    about: list[tuple[str, Claim]] = []
    for c in claims:
        i = mentions_of.get(c.subject)
        if i is None:
            continue
        subject = entity_ids[i]
        about.append((subject, c))
        item = claim_entry(subject, c)
        out.append(item)
        by_subject[subject].append(item)
    return out, dict(by_subject), event_dates(about)
