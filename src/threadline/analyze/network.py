"""The multi-relational, time-aware network and the graph views computed on it.

Needs: entities, ties (with their evidence) and the documents the evidence
comes from. Produces: a :class:`Network` that keeps every tie type, its
evidence strength, when it was first known and whether it is inferred, and
:class:`GraphView` objects — simple igraph graphs (undirected or directed)
filtered by tie type, evidence strength, inferred-or-not and date — that the
measures, cells, paths, key players, contagion and triage run on.

Only documented ties and their evidence go in. Entity attributes
(nationality, religion, age, ... in ``Entity.data``) are never read here, so
no measure built on a view can depend on them.

>>> from threadline.model import Entity, Evidence, Tie
>>> ev = Evidence("d1", 0, 5, "a - b", "test", 0.9)
>>> es = [Entity(x, "Person", x.upper(), [x], [], []) for x in "abc"]
>>> ts = [Tie("t1", "family", "a", "b", "", 0.9, [ev]), Tie("t2", "associate", "b", "c", "", 0.9, [ev])]
>>> v = network_view(build_network(es, ts), ViewOptions(types=frozenset({"family"})))
>>> v.graph.ecount(), v.names[v.index["a"]]
(1, 'A')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from threadline.analyze import defaults
from threadline.model import TIE_TYPES, Document, Entity, Evidence, Tie

#: Schemata that are actors in the network (places and events are context).
ACTOR_SCHEMATA = frozenset({"Person", "Organization"})
#: Hedged evidence ("may have", "suspected") counts for this share of its confidence.
HEDGE_FACTOR = 0.5
#: An inferred tie (same sentence, no stated relation; a suggestion) counts for this share.
INFERRED_FACTOR = 0.5
#: No single piece of evidence is taken as certain: strengths stay below 1.
MAX_EVIDENCE_STRENGTH = 0.99
#: The floor of a tie's strength, so that costs (1 / strength) stay finite.
MIN_STRENGTH = 0.01

#: A source grade: document id -> factor in [0, 1] (the source-grading issue plugs in here).
Grade = Callable[[str], float]


@dataclass(frozen=True)
class SourceInfo:
    """What the analysis needs of a document: when it was published and by whom."""

    id: str
    title: str | None = None
    source: str | None = None
    published: str | None = None
    outlet: str | None = None


@dataclass(frozen=True)
class Node:
    """An entity in the network. Only id, name and schema: no personal attributes."""

    id: str
    name: str
    schema: str
    known_from: str | None = None  # earliest publication date of a document naming it
    role: str | None = None  # who the texts say it is (network, official, journalist, ...)
    role_by_analyst: bool = False  # an analyst set the role (issue 18): no tie outweighs it


@dataclass(frozen=True)
class NetworkTie:
    """A tie with what the analysis derives from its evidence.

    ``strength`` is in (0, 1]: independent sources combined (see
    :func:`evidence_strength`); ``sources`` counts the independent sources;
    ``known_from`` is the earliest publication date among its documents
    (``None`` when no document is dated).
    """

    id: str
    type: str
    source: str
    target: str
    detail: str
    directed: bool
    inferred: bool
    hedged: bool
    confidence: float
    evidence: tuple[Evidence, ...]
    strength: float
    sources: int
    known_from: str | None
    volume: Mapping[str, float] = field(default_factory=dict)


@dataclass
class Network:
    """Every entity and every tie, all types kept; views filter it."""

    nodes: dict[str, Node]
    ties: list[NetworkTie]
    documents: dict[str, SourceInfo] = field(default_factory=dict)
    grade: Grade | None = None

    def tie_types(self) -> list[str]:
        return sorted({t.type for t in self.ties})


@dataclass(frozen=True)
class ViewOptions:
    """Which part of the network a view shows.

    ``types``: tie types kept (``None``: all). ``include_inferred``: keep
    inferred ties (labelled as such). ``min_strength``: drop ties whose
    evidence strength is below it. ``as_of``: an ISO date; only ties (and
    entities) stated in documents published on or before it — undated
    evidence is then left out, since nobody can say it was known by then.
    ``schemata``: which entities are nodes. ``directed``: directed ties keep
    their direction, undirected ones become a pair of arcs. ``everyone``: keep
    entities whose role the texts give as other than the network's (officials,
    journalists, experts, victims; state bodies, media: :data:`OUTSIDE_ROLES`); by
    default the view holds the network's actors and groups. ``by_volume``:
    ties with a volume (calls, crossings together, days of shared stay: see
    :func:`tie_volume`) weigh more the more of it there is (see
    :func:`volume_factor`); ties without one are unaffected.
    """

    types: frozenset[str] | None = None
    include_inferred: bool = defaults.INCLUDE_INFERRED
    min_strength: float = 0.0
    as_of: str | None = None
    schemata: frozenset[str] = ACTOR_SCHEMATA
    directed: bool = False
    by_volume: bool = True
    everyone: bool = False


@dataclass
class GraphView:
    """A simple igraph graph of a network part, and the ties behind each edge.

    Vertex ``i`` is entity ``ids[i]``; edge ``e`` has attributes ``strength``
    (evidence strength of the ties behind it, combined), ``volume`` (calls,
    crossings and days of stay behind it, 0 when none is recorded), ``weight``
    (the strength, times :func:`volume_factor` when the view weighs by volume)
    and ``cost`` (``1 / weight``: a weakly evidenced, rarely used hop costs
    more), and ``edge_ties[e]`` lists those ties. ``left_out`` counts the ties the options excluded, by reason.
    """

    graph: Any
    ids: list[str]
    names: list[str]
    index: dict[str, int]
    edge_ties: list[list[NetworkTie]]
    network: Network
    options: ViewOptions
    left_out: dict[str, int]

    def name(self, vertex: int) -> str:
        return self.names[vertex]


def source_infos(documents: Iterable[Document]) -> dict[str, SourceInfo]:
    """The analysis' view of stored documents."""
    return {d.id: SourceInfo(d.id, d.title, d.source, d.published, d.outlet) for d in documents}


def evidence_strength(
    evidence: Iterable[Evidence],
    documents: Mapping[str, SourceInfo],
    *,
    inferred: bool = False,
    grade: Grade | None = None,
) -> tuple[float, int]:
    """How strongly a set of evidence supports a tie, and from how many independent sources.

    Each piece counts for its confidence, halved when hedged, times the
    document's grade (1 when no grade is given). Pieces from one source (the
    same outlet, or the same document when the outlet is unknown) are not
    independent: the source counts for its best piece. Independent sources
    combine as independent witnesses: ``1 - prod(1 - s)``. Inferred ties
    count for :data:`INFERRED_FACTOR` of that.

    >>> docs = {"d1": SourceInfo("d1", outlet="A"), "d2": SourceInfo("d2", outlet="A"),
    ...         "d3": SourceInfo("d3", outlet="B")}
    >>> ev = [Evidence(d, 0, 1, "x", "t", 0.6) for d in ("d1", "d2", "d3")]
    >>> evidence_strength(ev, docs)
    (0.84, 2)
    """
    best: dict[str, float] = {}
    for ev in evidence:
        info = documents.get(ev.document)
        key = f"outlet:{info.outlet}" if info and info.outlet else f"doc:{ev.document}"
        s = min(max(ev.confidence, 0.0), MAX_EVIDENCE_STRENGTH)
        if ev.hedged:
            s *= HEDGE_FACTOR
        if grade is not None:
            s *= min(max(grade(ev.document), 0.0), 1.0)
        best[key] = max(best.get(key, 0.0), s)
    miss = 1.0
    for s in best.values():
        miss *= 1.0 - s
    strength = 1.0 - miss
    if inferred:
        strength *= INFERRED_FACTOR
    return round(max(strength, MIN_STRENGTH), 6), len(best)


def tie_volume(evidence: Iterable[Evidence]) -> dict[str, float]:
    """How much a tie was used, by what its record evidence states: ``calls`` and
    ``minutes`` (call records, each file's pair counted once), ``occasions``
    (distinct vehicles, crossings or bookings shared) and ``days`` (overlapping stays,
    both ends counted). Empty when the evidence states no volume (text ties).

    >>> ev = [Evidence("f", 0, 0, "", "t", 0.9, row=2, facts=(("calls", 30), ("duration_seconds", 600))),
    ...       Evidence("f", 0, 0, "", "t", 0.9, row=5, facts=(("place", "Rue X 3"), ("from", "2024-01-01"), ("to", "2024-01-10")))]
    >>> tie_volume(ev)
    {'calls': 30.0, 'minutes': 10.0, 'days': 10.0}
    """
    import datetime as dt

    calls: dict[tuple[Any, ...], tuple[float, float]] = {}
    occasions: set[tuple[str, str]] = set()
    stays: dict[tuple[Any, ...], float] = {}
    for ev in evidence:
        facts = dict(ev.facts)
        if "calls" in facts:
            key = (ev.document, facts.get("number_a"), facts.get("number_b"), ev.row)
            seconds = float(facts.get("duration_seconds") or 0)
            calls[key] = (float(facts["calls"]), seconds)
        if "together" in facts:
            occasions.add((ev.document, str(facts["together"])))
        if "place" in facts and facts.get("from") and facts.get("to"):
            try:
                days = (
                    dt.date.fromisoformat(str(facts["to"])[:10])
                    - dt.date.fromisoformat(str(facts["from"])[:10])
                ).days + 1
            except ValueError:
                continue
            stays[(ev.document, facts["place"], facts["from"], facts["to"])] = float(max(days, 1))
    out: dict[str, float] = {}
    if calls:
        out["calls"] = sum(c for c, _ in calls.values())
        out["minutes"] = round(sum(s for _, s in calls.values()) / 60, 1)
    if occasions:
        out["occasions"] = float(len(occasions))
    if stays:
        out["days"] = sum(stays.values())
    return out


def volume_factor(volume: Mapping[str, float]) -> float:
    """How much more a tie with ``volume`` weighs than one stated once: ``1 + ln(units)``
    with units = calls + occasions + days (1 call: 1; 84 calls: about 5.4). Minutes
    are shown, not counted twice (a long call is still one contact).

    >>> volume_factor({}), volume_factor({"calls": 1.0}), round(volume_factor({"calls": 84.0}), 2)
    (1.0, 1.0, 5.43)
    """
    import math

    units = sum(volume.get(k, 0.0) for k in ("calls", "occasions", "days"))
    return 1.0 + math.log(units) if units >= 1 else 1.0


def _earliest(dates: Iterable[str | None]) -> str | None:
    known = sorted(d for d in dates if d)
    return known[0] if known else None


def build_network(
    entities: Iterable[Entity],
    ties: Iterable[Tie],
    documents: Mapping[str, SourceInfo] | None = None,
    *,
    entity_documents: Mapping[str, Iterable[str]] | None = None,
    grade: Grade | None = None,
) -> Network:
    """The whole network: every entity, every tie with its strength and first date.

    ``entity_documents`` maps an entity to the documents that name it (to date
    entities that have no tie yet); ``grade`` rates each document (see
    :func:`evidence_strength`).
    """
    docs = dict(documents or {})

    def published(doc_id: str) -> str | None:
        info = docs.get(doc_id)
        return info.published if info else None

    named_in = entity_documents or {}
    nodes = {
        e.id: Node(
            e.id,
            e.name,
            e.schema,
            _earliest(published(d) for d in named_in.get(e.id, ())),
            _role(e),
            isinstance(e.data, dict) and e.data.get("role_by") == "analyst",
        )
        for e in entities
    }
    out: list[NetworkTie] = []
    for t in ties:
        if t.source not in nodes or t.target not in nodes or t.source == t.target:
            continue
        strength, n_sources = evidence_strength(t.evidence, docs, inferred=t.inferred, grade=grade)
        kind = TIE_TYPES.get(t.type)
        out.append(
            NetworkTie(
                id=t.id,
                type=t.type,
                source=t.source,
                target=t.target,
                detail=t.detail,
                directed=bool(kind and kind.directed),
                inferred=t.inferred,
                hedged=t.hedged,
                confidence=t.confidence,
                evidence=tuple(t.evidence),
                strength=strength,
                sources=n_sources,
                known_from=_earliest(published(ev.document) for ev in t.evidence),
                volume=tie_volume(t.evidence),
            )
        )
    return Network(nodes, out, docs, grade)


#: Roles the texts give to people and bodies outside the network (see
#: :mod:`threadline.resolve.roles`): left out of a view unless ``everyone``. ``network``
#: and ``other`` (nothing sets it apart: a bystander, or a name from records or an
#: edge list, which carry no role cues) stay.
OUTSIDE_ROLES = frozenset({"official", "journalist", "expert", "victim", "state", "media"})


def _role(entity: Entity) -> str | None:
    """The entity's role in the texts; only this is read of ``Entity.data`` (principle 4)."""
    role = entity.data.get("role") if isinstance(entity.data, dict) else None
    return role if isinstance(role, str) else None


#: Stated tie types that put their source inside a group or a person's network.
MEMBERSHIP_TIES = frozenset({"member_of", "leader_of", "recruited_by", "funded"})


def stated_members(network: Network) -> frozenset[str]:
    """Entities a stated (not inferred) membership, leadership, recruitment or funding
    tie binds to an entity the texts do not set outside the network: the texts say
    they are in it, whatever role cue a title or a quote gave them."""
    out = set()
    for t in network.ties:
        if t.inferred or t.type not in MEMBERSHIP_TIES:
            continue
        for me, other in ((t.source, t.target), (t.target, t.source)):
            if network.nodes[me].role_by_analyst:
                continue  # the analyst's word on the role stands
            if network.nodes[other].role not in OUTSIDE_ROLES:
                out.add(me)
    return frozenset(out)


def is_actor(node: Node, options: ViewOptions, members: frozenset[str] = frozenset()) -> bool:
    """Whether ``node`` is in a view with ``options``: an actor schema and, unless
    ``everyone``, no role of :data:`OUTSIDE_ROLES` — or a stated member (``members``:
    :func:`stated_members`), since a stated tie outweighs a role cue."""
    if node.schema not in options.schemata:
        return False
    return options.everyone or node.role not in OUTSIDE_ROLES or node.id in members


def _kept(tie: NetworkTie, options: ViewOptions) -> str | None:
    """Why ``tie`` is left out of a view with ``options`` (``None``: it is kept)."""
    if options.types is not None and tie.type not in options.types:
        return "type"
    if tie.inferred and not options.include_inferred:
        return "inferred"
    if tie.strength < options.min_strength:
        return "weak_evidence"
    if options.as_of is not None:
        if tie.known_from is None:
            return "undated"
        if tie.known_from > options.as_of:
            return "later"
    return None


def network_view(network: Network, options: ViewOptions | None = None) -> GraphView:
    """A simple graph of the part of ``network`` that ``options`` select.

    Parallel ties between two entities (a family tie and a phone contact)
    become one edge that lists both; its weight is the strength of all their
    evidence together. With ``as_of``, an entity is in the view when a kept
    tie touches it or a document published by then names it.
    """
    import igraph as ig

    opts = options or ViewOptions()
    members = frozenset() if opts.everyone else stated_members(network)
    left_out: dict[str, int] = {}
    kept: list[NetworkTie] = []
    for t in network.ties:
        a, b = network.nodes[t.source], network.nodes[t.target]
        if a.schema not in opts.schemata or b.schema not in opts.schemata:
            continue
        if not (is_actor(a, opts, members) and is_actor(b, opts, members)):
            left_out["not_network"] = left_out.get("not_network", 0) + 1
            continue
        why = _kept(t, opts)
        if why is None:
            kept.append(t)
        else:
            left_out[why] = left_out.get(why, 0) + 1
    touched = {x for t in kept for x in (t.source, t.target)}
    ids = sorted(
        n.id
        for n in network.nodes.values()
        if is_actor(n, opts, members)
        and (
            opts.as_of is None
            or n.id in touched
            or (n.known_from is not None and n.known_from <= opts.as_of)
        )
    )
    index = {x: i for i, x in enumerate(ids)}
    grouped: dict[tuple[int, int], list[NetworkTie]] = {}
    for t in kept:
        s, d = index[t.source], index[t.target]
        if opts.directed:
            pairs = [(s, d)] if t.directed else [(s, d), (d, s)]
        else:
            pairs = [(min(s, d), max(s, d))]
        for pair in pairs:
            grouped.setdefault(pair, []).append(t)
    edges = sorted(grouped)
    edge_ties = [grouped[e] for e in edges]
    strengths: list[float] = []
    volumes: list[float] = []
    weights: list[float] = []
    for ts in edge_ties:
        # stated ties carry the edge; inferred ones only when nothing else does
        basis = [t for t in ts if not t.inferred] or ts
        evidence = {(ev.document, ev.start, ev.end, ev.row): ev for t in basis for ev in t.evidence}
        w, _ = evidence_strength(
            evidence.values(),
            network.documents,
            inferred=basis[0].inferred,
            grade=network.grade,
        )
        # each tie's volume was read from its evidence once, in build_network
        volume: dict[str, float] = {}
        for t in basis:
            for k, v in t.volume.items():
                volume[k] = volume.get(k, 0.0) + v
        strengths.append(w)
        volumes.append(sum(volume.get(k, 0.0) for k in ("calls", "occasions", "days")))
        weights.append(w * volume_factor(volume) if opts.by_volume else w)
    g = ig.Graph(n=len(ids), edges=edges, directed=opts.directed)
    g.es["strength"] = strengths
    g.es["volume"] = volumes
    g.es["weight"] = weights
    g.es["cost"] = [1.0 / w for w in weights]
    names = [network.nodes[x].name for x in ids]
    return GraphView(g, ids, names, index, edge_ties, network, opts, left_out)
