"""The entity profile: everything the workspace knows about one entity, assembled once
for the API's entity page (``GET /api/entities/{id}``) and for the entities of the JSON
export (and so the dossier), which only render it (issue 21).

A profile holds the entity's names and the spans where each was seen, its aliases,
roles, measures and cell, the documents naming it, its ties counted by type, the
events it took part in (with their dates), the places and date of an event, the
claims about it, the identity judgements touching it and its watchlist hits.

:func:`entity_profiles` assembles profiles from :class:`Sources`, the rows they are
made of. The export fills them from the workspace (:meth:`Sources.everything`); the
API fills them for one entity from its in-memory read model, which it read from the
same workspace (:func:`threadline.api.profiles.sources`): reading the page's rows
from the database on each request instead was 30 to 40 times slower under load
(docs/benchmarks.md). Both assemble the answer with the same code, and
``tests/e2e/test_parity.py`` compares them on the demo. It sits in ``export`` and not
in ``usecases`` because the JSON export, one of its two callers, is in this layer.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from threadline.model import Claim, Document, Entity, Mention
from threadline.model.names import fold
from threadline.resolve.judgements import judgements_by_entity
from threadline.store import Workspace
from threadline.store.notes import AssertedTie, asserted_ties
from threadline.store.watchlists import hits_by_entity

__all__ = [
    "Sources",
    "TieEnds",
    "claim_entry",
    "claim_value",
    "span",
    "entity_profiles",
    "event_dates",
]


class TieEnds(NamedTuple):
    """A tie without its evidence: what a profile counts and lists."""

    id: str
    type: str
    source: str
    target: str


#: Judgements or watchlist hits by entity id (as the export shows them).
ByEntity = Mapping[str, list[dict[str, Any]]]


def claim_value(c: Claim) -> int | float | str | None:
    """A claim's value as the export and the API show it: None for a vague amount
    ("dozens": no number was stated), the text of a date, else the number."""
    if c.qualifier == "vague":
        return None
    if c.unit == "date":
        return c.value_text
    return int(c.value) if float(c.value).is_integer() else c.value


def event_dates(claims: Iterable[tuple[str, Claim]]) -> dict[str, str]:
    """Each event's date from ``(entity id, claim)`` pairs: the one stated most often in
    running text (summing the confidence of its statements; ties broken by the date)."""
    votes: dict[str, dict[str, float]] = {}
    for entity, c in claims:
        if c.quantity != "date":
            continue
        bucket = votes.setdefault(entity, {})
        bucket[c.value_text] = bucket.get(c.value_text, 0.0) + c.evidence.confidence
    return {e: max(sorted(v), key=lambda d: v[d]) for e, v in votes.items()}


@dataclass
class Sources:
    """The rows profiles are made of: the profiled entities and every row their
    profiles name (the whole workspace for the export, a neighbourhood for one page)."""

    entities: list[Entity]
    spans: dict[str, list[dict[str, Any]]]  # entity id -> where its names were seen
    documents: dict[str, Document]
    metrics: dict[str, dict[str, float]]
    ties: list[TieEnds]  # extracted ties, by id
    asserted: list[AssertedTie]  # the analyst's, oldest first
    heads: dict[str, tuple[str, str]]  # entity id -> (name, schema), of every entity named
    claims: dict[str, list[dict[str, Any]]]  # entity id -> claim entries (claim_entry)
    dates: dict[str, str]  # event id -> its date (event_dates)
    judged: ByEntity
    listed: ByEntity
    #: distinct neighbours of an entity, where the caller knows them already
    links_of: dict[str, int] = field(default_factory=dict)
    _graph: dict[str, list[tuple[str, str, str]]] | None = field(default=None, repr=False)

    @classmethod
    def everything(
        cls,
        ws: Workspace,
        *,
        ties: Sequence[Any] | None = None,
        mentions: Sequence[Mention] | None = None,
        claims: Sequence[Claim] | None = None,
    ) -> Sources:
        """Every entity's rows (``ties``, ``mentions``, ``claims``: the workspace's, when
        the caller has read them already)."""
        entities = ws.entities()
        entity_of = {mid: e.id for e in entities for mid in e.mentions}
        documents = {d.id: d for d in ws.documents()}
        by_id = {m.id: m for m in (ws.mentions() if mentions is None else mentions)}
        spans: dict[str, list[dict[str, Any]]] = {}
        for e in entities:
            found = []
            for mid in e.mentions:
                m = by_id.get(mid)
                doc = documents.get(m.document) if m is not None else None
                if m is not None and doc is not None:
                    found.append(span(m, doc.text[m.start : m.end]))
            found.sort(key=lambda s: (s["document"], s["start"]))
            spans[e.id] = found
        read_claims = ws.claims() if claims is None else claims
        about = [(entity_of[c.subject], c) for c in read_claims if c.subject in entity_of]
        entries: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for entity, c in about:
            entries[entity].append(claim_entry(entity, c))
        read = ws.ties() if ties is None else ties
        return cls(
            entities=entities,
            spans=spans,
            documents=documents,
            metrics=ws.metrics(),
            ties=[TieEnds(t.id, t.type, t.source, t.target) for t in read],
            asserted=asserted_ties(ws),
            heads={e.id: (e.name, e.schema) for e in entities},
            claims=dict(entries),
            dates=event_dates(about),
            judged=judgements_by_entity(ws, entities),
            listed=hits_by_entity(ws),
        )

    def graph(self) -> dict[str, list[tuple[str, str, str]]]:
        """``entity -> [(tie id, tie type, other end)]``: the ties the network holds (the
        extracted ones between two entities, then the analyst's whose ends both exist),
        each entity's ties where it is the source first, then where it is the target."""
        if self._graph is None:
            kept = [
                (t.id, t.type, t.source, t.target)
                for t in self.ties
                if t.source in self.heads and t.target in self.heads and t.source != t.target
            ]
            kept += [
                (a.id, a.type, a.source, a.target)
                for a in self.asserted
                if a.source in self.heads and a.target in self.heads
            ]
            out: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
            for tid, kind, a, b in kept:
                out[a].append((tid, kind, b))
            for tid, kind, a, b in kept:
                out[b].append((tid, kind, a))
            self._graph = dict(out)
        return self._graph

    def links(self, entity: str) -> int:
        """Distinct neighbours of ``entity`` over every tie of the network."""
        found = self.links_of.get(entity)
        if found is None:
            found = self.links_of[entity] = len({o for _, _, o in self.graph().get(entity, [])})
        return found

    def ref(self, entity: str) -> dict[str, Any]:
        """An entity in brief: id, name, schema, links and cell."""
        name, schema = self.heads[entity]
        community = self.metrics.get(entity, {}).get("community")
        return {
            "id": entity,
            "name": name,
            "schema": schema,
            "links": self.links(entity),
            "cell": None if community is None else int(community),
        }


def span(m: Mention | Any, quote: str) -> dict[str, Any]:
    """Where a name of an entity was seen: the mention ``m`` (or a row with its
    document, start, end, extractor and confidence) and its ``quote``."""
    attrs = getattr(m, "attrs", None) or {}
    out = {
        "document": m.document,
        "start": m.start,
        "end": m.end,
        "quote": quote,
        "extractor": m.extractor,
        "confidence": m.confidence,
    }
    if "row" in attrs:
        out["row"] = attrs["row"]
    if attrs.get("sheet"):
        out["sheet"] = attrs["sheet"]
    return out


def _spellings(e: Entity, spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The entity's names, then its aliases, then spellings seen in documents that it
    lists under no name, each once (by its folded form) with the spans showing it."""
    seen: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s in spans:
        seen[fold(s["quote"])].append(s)
    used: set[str] = set()
    out: list[dict[str, Any]] = []
    listed = [(v, False) for v in (e.name, *e.names)] + [(v, True) for v in e.aliases]
    for value, alias in listed:
        key = fold(value)
        if key not in used:
            used.add(key)
            out.append({"name": value, "alias": alias, "seen": seen.get(key, [])})
    for key, found in seen.items():
        if key not in used:
            used.add(key)
            out.append({"name": found[0]["quote"], "alias": False, "seen": found})
    return out


def claim_entry(entity: str, c: Claim) -> dict[str, Any]:
    """A claim about ``entity`` as a profile lists it (and the API's read model)."""
    return {
        "id": c.id,
        "subject": entity,
        "quantity": c.quantity,
        "value": claim_value(c),
        "value_text": c.value_text,
        "qualifier": c.qualifier,
        "unit": c.unit,
        "hedged": c.evidence.hedged,
        "attributed_to": c.attributed_to or "",
        "value_high": c.value_high,
        "evidence": [c.evidence.to_dict()],
    }


def entity_profiles(src: Sources) -> list[dict[str, Any]]:
    """The profile of each of the entities of ``src``, in their order.

    Each profile: ``id``, ``schema``, ``name``, ``names``, ``aliases``, ``roles``,
    ``role`` (or None), ``spans`` (where a name was seen: document, start, end, quote,
    extractor, confidence, and the row and sheet of a record), ``spellings`` (each
    name, alias and unlisted spelling once, with its spans), ``documents`` (id, title,
    published, outlet, source and the number of mentions, most first), ``metrics``,
    ``cell``, ``links`` (distinct neighbours), ``tie_counts`` by type, ``events``
    (entity in brief, date, role), ``places`` and ``date`` (of an event), ``claims``,
    ``judgements`` and ``watchlist_hits``."""
    places_of: dict[str, list[str]] = defaultdict(list)
    for t in src.ties:
        if t.type == "located_in":
            places_of[t.source].append(t.target)
    out = []
    for e in src.entities:
        spans = src.spans.get(e.id, [])
        per_doc = Counter(s["document"] for s in spans)
        documents = []
        for d, n in sorted(per_doc.items(), key=lambda x: (-x[1], x[0])):
            doc = src.documents[d]
            documents.append(
                {
                    "id": d,
                    "title": doc.title,
                    "published": doc.published,
                    "outlet": doc.outlet,
                    "source": doc.source,
                    "mentions": n,
                }
            )
        ties = src.graph().get(e.id, [])
        counts = Counter(kind for _, kind in {(tid, kind) for tid, kind, _ in ties})
        events: list[dict[str, Any]] = [
            {"entity": src.ref(other), "date": src.dates.get(other), "role": kind}
            for _, kind, other in ties
            if src.heads[other][1] == "Event"
        ]
        events.sort(key=lambda ev: (ev["date"] or "9999", ev["entity"]["name"]))
        metrics = src.metrics.get(e.id, {})
        community = metrics.get("community")
        out.append(
            {
                "id": e.id,
                "schema": e.schema,
                "name": e.name,
                "names": e.names,
                "aliases": e.aliases,
                "roles": e.roles,
                "role": (e.data or {}).get("role"),
                "spans": spans,
                "spellings": _spellings(e, spans),
                "documents": documents,
                "metrics": metrics,
                "cell": None if community is None else int(community),
                "links": src.links(e.id),
                "tie_counts": dict(sorted(counts.items())),
                "events": events,
                "places": places_of.get(e.id, []),
                "date": src.dates.get(e.id),
                "claims": list(src.claims.get(e.id, [])),
                "judgements": list(src.judged.get(e.id, [])),
                "watchlist_hits": list(src.listed.get(e.id, [])),
            }
        )
    return out
