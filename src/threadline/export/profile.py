"""The entity profile: everything the workspace knows about one entity, built once for
the API's entity page (``GET /api/entities/{id}``) and for the entities of the JSON
export (and so the dossier), which only render it (issue 21).

A profile holds the entity's names and the spans where each was seen, its aliases,
roles, measures and cell, the documents naming it, its ties counted by type, the
events it took part in (with their dates), the places and date of an event, the
claims about it, the identity judgements touching it and its watchlist hits.

:func:`entity_profile` reads one entity through a few targeted reads
(:mod:`threadline.store.profiles`); :func:`entity_profiles` reads every entity at
once (the export). Both assemble the answer with the same code, so the API page and
the export cannot drift apart. It sits in ``export`` and not in ``usecases`` because
the JSON export, one of its two callers, is in this layer (docs/architecture.md).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from threadline.errors import NotFoundError
from threadline.model import Claim, Document, Entity, Mention
from threadline.model.names import fold
from threadline.resolve.judgements import judgements_by_entity
from threadline.store import Workspace
from threadline.store import profiles as rows
from threadline.store.judgements import load_judgements
from threadline.store.notes import AssertedTie, asserted_ties
from threadline.store.profiles import TieEnds
from threadline.store.watchlists import hits_by_entity

__all__ = [
    "Sources",
    "claim_entry",
    "claim_value",
    "entity_profile",
    "entity_profiles",
    "event_dates",
]

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
    """What profiles are made of, read once: the profiled entities and every row their
    profiles name (the whole workspace for the export, a neighbourhood for one page)."""

    entities: list[Entity]
    mentions: dict[str, Mention]
    documents: dict[str, Document]
    metrics: dict[str, dict[str, float]]
    ties: list[TieEnds]  # extracted ties, by id
    asserted: list[AssertedTie]  # the analyst's, oldest first
    heads: dict[str, tuple[str, str]]  # entity id -> (name, schema), of every entity named
    claims: list[tuple[str, Claim]]  # (entity id, claim), by document and id
    judged: ByEntity
    listed: ByEntity
    _graph: dict[str, list[tuple[str, str, str]]] | None = field(default=None, repr=False)
    _links: dict[str, int] = field(default_factory=dict, repr=False)

    @classmethod
    def everything(cls, ws: Workspace, *, ties: Sequence[Any] | None = None) -> Sources:
        """Every entity's sources (``ties``: the workspace's ties, when already read)."""
        entities = ws.entities()
        entity_of = {mid: e.id for e in entities for mid in e.mentions}
        read = ws.ties() if ties is None else ties
        return cls(
            entities=entities,
            mentions={m.id: m for m in ws.mentions()},
            documents={d.id: d for d in ws.documents()},
            metrics=ws.metrics(),
            ties=[TieEnds(t.id, t.type, t.source, t.target) for t in read],
            asserted=asserted_ties(ws),
            heads={e.id: (e.name, e.schema) for e in entities},
            claims=[(entity_of[c.subject], c) for c in ws.claims() if c.subject in entity_of],
            judged=judgements_by_entity(ws, entities),
            listed=hits_by_entity(ws),
        )

    @classmethod
    def around(
        cls,
        ws: Workspace,
        ids: Sequence[str],
        *,
        judged: ByEntity | None = None,
        listed: ByEntity | None = None,
    ) -> Sources:
        """The sources of the entities ``ids`` alone: theirs and their neighbours' names,
        the ties of the events they took part in (``judged``/``listed``: the judgements
        and watchlist hits by entity, when the caller keeps them already)."""
        entities = rows.entities_by_id(ws, ids)
        wanted = [e.id for e in entities]
        asserted = asserted_ties(ws)
        ties = rows.ties_around(ws, wanted)
        ends = {x for t in ties for x in (t.source, t.target)}
        ends |= {x for a in asserted for x in (a.source, a.target)}
        heads = rows.entity_heads(ws, sorted(ends | set(wanted)))
        mine = set(wanted)
        events = sorted(
            {
                other
                for t in ties
                for end, other in ((t.source, t.target), (t.target, t.source))
                if end in mine and heads.get(other, ("", ""))[1] == "Event"
            }
            | {
                other
                for a in asserted
                for end, other in ((a.source, a.target), (a.target, a.source))
                if end in mine and heads.get(other, ("", ""))[1] == "Event"
            }
        )
        if events:  # an event's entry counts its ties and names its date
            known = {t.id for t in ties}
            ties = sorted(
                [*ties, *(t for t in rows.ties_around(ws, events) if t.id not in known)],
                key=lambda t: t.id,
            )
            more = {x for t in ties for x in (t.source, t.target)} - set(heads)
            heads.update(rows.entity_heads(ws, sorted(more)))
        mentions = rows.mentions_of(ws, wanted)
        claims = rows.claims_about(ws, [*wanted, *events])
        docs = {m.document for m in mentions} | {c.evidence.document for _, c in claims}
        if judged is None:
            judged = judgements_by_entity(ws, ws.entities()) if load_judgements(ws) else {}
        if listed is None:
            listed = hits_by_entity(ws)
        return cls(
            entities=entities,
            mentions={m.id: m for m in mentions},
            documents={d.id: d for d in rows.documents_by_id(ws, sorted(docs))},
            metrics=rows.metrics_of(ws, [*wanted, *events]),
            ties=ties,
            asserted=asserted,
            heads=heads,
            claims=claims,
            judged=judged,
            listed=listed,
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
            for tid, kind, a, _ in kept:
                out[a].append((tid, kind, _))
            for tid, kind, a, b in kept:
                out[b].append((tid, kind, a))
            self._graph = dict(out)
        return self._graph

    def links(self, entity: str) -> int:
        """Distinct neighbours of ``entity`` over every tie of the network."""
        found = self._links.get(entity)
        if found is None:
            found = self._links[entity] = len({o for _, _, o in self.graph().get(entity, [])})
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


def _span(m: Mention, doc: Document) -> dict[str, Any]:
    return {
        "document": m.document,
        "start": m.start,
        "end": m.end,
        "quote": doc.text[m.start : m.end],
        "extractor": m.extractor,
        "confidence": m.confidence,
        **({"row": m.attrs["row"]} if "row" in m.attrs else {}),
        **({"sheet": m.attrs["sheet"]} if m.attrs.get("sheet") else {}),
    }


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


def _profiles(src: Sources) -> list[dict[str, Any]]:
    dates = event_dates(src.claims)
    claims_of: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entity, c in src.claims:
        claims_of[entity].append(claim_entry(entity, c))
    places_of: dict[str, list[str]] = defaultdict(list)
    for t in src.ties:
        if t.type == "located_in":
            places_of[t.source].append(t.target)
    out = []
    for e in src.entities:
        spans = []
        for mid in e.mentions:
            m = src.mentions.get(mid)
            doc = src.documents.get(m.document) if m is not None else None
            if m is not None and doc is not None:
                spans.append(_span(m, doc))
        spans.sort(key=lambda s: (s["document"], s["start"]))
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
            {"entity": src.ref(other), "date": dates.get(other), "role": kind}
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
                "date": dates.get(e.id),
                "claims": claims_of.get(e.id, []),
                "judgements": list(src.judged.get(e.id, [])),
                "watchlist_hits": list(src.listed.get(e.id, [])),
            }
        )
    return out


def entity_profiles(ws: Workspace, *, sources: Sources | None = None) -> list[dict[str, Any]]:
    """Every entity's profile, by id (``sources``: read already, e.g. by the export).

    Each profile: ``id``, ``schema``, ``name``, ``names``, ``aliases``, ``roles``,
    ``role`` (or None), ``spans`` (where a name was seen: document, start, end, quote,
    extractor, confidence, and the row and sheet of a record), ``spellings`` (each
    name, alias and unlisted spelling once, with its spans), ``documents`` (id, title,
    published, outlet, source and the number of mentions, most first), ``metrics``,
    ``cell``, ``links`` (distinct neighbours), ``tie_counts`` by type, ``events``
    (entity in brief, date, role), ``places`` and ``date`` (of an event), ``claims``,
    ``judgements`` and ``watchlist_hits``."""
    return _profiles(sources if sources is not None else Sources.everything(ws))


def entity_profile(
    ws: Workspace,
    entity_id: str,
    *,
    judged: ByEntity | None = None,
    listed: ByEntity | None = None,
) -> dict[str, Any]:
    """The profile of the entity ``entity_id`` (see :func:`entity_profiles`), read from
    the workspace for it alone. Raises :class:`~threadline.errors.NotFoundError`."""
    found = _profiles(Sources.around(ws, [entity_id], judged=judged, listed=listed))
    if not found:
        raise NotFoundError(f"entity '{entity_id}' does not exist")
    return found[0]
