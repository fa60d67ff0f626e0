"""Response and request bodies of the REST API (pydantic), as the OpenAPI document shows them.

Everything that came from a document (names, quotes, titles) is plain text in
these models; the web page writes it with ``textContent``, never as HTML.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list. ``limit`` is the page size actually used (huge limits are capped)."""

    items: list[T]
    total: int = Field(description="How many items there are in all.")
    offset: int
    limit: int
    next_offset: int | None = Field(None, description="Offset of the next page, if any.")


class EntityRef(BaseModel):
    """An entity in brief, as lists and graph nodes show it."""

    id: str
    name: str
    schema_: str = Field(alias="schema", serialization_alias="schema")
    links: int = Field(description="Distinct entities it has ties with.")
    cell: int | None = Field(None, description="Its cell (Leiden community), if analysed.")

    model_config = {"populate_by_name": True}


class Evidence(BaseModel):
    """Why a tie, name or claim is believed: a document span, a record row, or an analyst."""

    kind: Literal["document", "record", "analyst"]
    document: str | None = None
    document_title: str | None = None
    published: str | None = None
    start: int | None = None
    end: int | None = None
    quote: str = ""
    extractor: str | None = None
    confidence: float | None = None
    hedged: bool = False
    row: int | None = None
    analyst: str | None = None
    created_at: datetime | None = None


class NameSeen(BaseModel):
    """One name or alias of an entity and where it was seen (first few places)."""

    name: str
    alias: bool
    seen: list[Evidence]
    seen_total: int


class EventRef(BaseModel):
    entity: EntityRef
    date: str | None = None
    role: str = Field(description="How the entity is tied to it (participated_in, ...).")


class Note(BaseModel):
    """An analyst's note on an entity or tie."""

    id: str
    target_kind: Literal["entity", "tie"]
    target: str
    target_label: str | None
    analyst: str
    text: str
    created_at: datetime
    retracted_at: datetime | None = None
    retracted_by: str | None = None


class EntityDetail(BaseModel):
    """Everything the entity page shows except its ties (``/entities/{id}/ties``)."""

    id: str
    name: str
    schema_: str = Field(alias="schema", serialization_alias="schema")
    names: list[NameSeen]
    aliases: list[NameSeen]
    roles: list[str]
    role: str | None = Field(
        None,
        description="Who the entity is in the texts: network, official, journalist, expert,"
        " victim or other (people); network, state, media or other (organisations).",
    )
    metrics: dict[str, float]
    cell: int | None
    links: int
    documents: list[DocumentRef]
    tie_counts: dict[str, int]
    events: list[EventRef]
    claims: list[Claim]
    watchlist_hits: list[dict[str, Any]]
    judgements: list[dict[str, Any]]
    notes: list[Note]

    model_config = {"populate_by_name": True}


class DocumentRef(BaseModel):
    id: str
    title: str | None
    published: str | None
    outlet: str | None = None
    source: str
    mentions: int | None = Field(None, description="Mentions of the entity in it, when listed.")


class Tie(BaseModel):
    """A tie with its ends, its type's meaning and (when asked for) its evidence."""

    id: str
    type: str
    detail: str
    directed: bool
    source: EntityRef
    target: EntityRef
    confidence: float
    hedged: bool
    inferred: bool
    asserted: bool = Field(description="Stated by an analyst, not found in a document.")
    first_seen: str | None = Field(description="Earliest publication date of its sources.")
    evidence: list[Evidence] = []
    evidence_total: int = 0
    notes: list[Note] = []


class EntityTies(Page[Tie]):
    by_type: dict[str, int] = Field(description="How many ties of each type (all pages).")


class Span(BaseModel):
    """A name found in the document, linked to its entity."""

    start: int
    end: int
    entity: str
    name: str
    schema_: str = Field(alias="schema", serialization_alias="schema")

    model_config = {"populate_by_name": True}


class DocumentDetail(BaseModel):
    """A stored document with its text, its segments and every evidence span marked."""

    id: str
    title: str | None
    source: str
    sha256: str
    kind: str
    published: str | None
    outlet: str | None
    author: str | None
    url: str | None
    language: str | None
    text: str
    segments: list[dict[str, Any]]
    spans: list[Span]
    highlight: dict[str, int] | None = Field(
        None, description="The span asked for with ?start=&end=, checked against the text."
    )


class ReviewMention(BaseModel):
    """A name found in the document under review, the entity holding it (none when no
    entity does, e.g. after the analyst rejected it) and the correction in force on it."""

    id: str = Field(description="The mention's id (what a mention correction names).")
    start: int
    end: int
    text: str
    label: str = Field(description="What the extractor found: PERSON, ORG, PLACE or EVENT.")
    schema_: str = Field(
        alias="schema",
        serialization_alias="schema",
        description="Person, Organization, Address or Event: the entity's, else the label's.",
    )
    entity: str | None = None
    name: str | None = Field(None, description="The entity's name, when an entity holds it.")
    segment: str
    extractor: str
    confidence: float
    corrections: list[dict[str, Any]] = Field(
        default_factory=list,
        description="The analyst's corrections in force on this mention or its entity, oldest"
        " first (as GET /api/corrections lists them).",
    )

    model_config = {"populate_by_name": True}


class ReviewTieEnd(BaseModel):
    """One end of a tie under review: its entity, and the mention the document ties."""

    id: str
    name: str
    schema_: str = Field(alias="schema", serialization_alias="schema")
    mention: str | None = Field(None, description="The mention stated in this sentence, if known.")
    start: int | None = None
    end: int | None = None

    model_config = {"populate_by_name": True}


class ReviewTie(BaseModel):
    """One statement of a tie in the document under review."""

    id: str = Field(description="The tie's id (what a tie correction names).")
    type: str
    directed: bool
    detail: str
    source: ReviewTieEnd
    target: ReviewTieEnd
    start: int = Field(description="Start of the sentence that states it.")
    end: int
    quote: str
    extractor: str
    confidence: float
    inferred: bool
    hedged: bool
    corrections: list[dict[str, Any]] = Field(
        default_factory=list,
        description="The analyst's corrections in force on this tie, oldest first.",
    )


class DocumentReview(BaseModel):
    """A document with every mention and every tie it states, for the per-document review."""

    id: str
    title: str | None
    published: str | None
    outlet: str | None
    text: str
    segments: list[dict[str, Any]]
    mentions: list[ReviewMention]
    ties: list[ReviewTie]
    corrections: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Corrections about this document that sit on no listed mention or tie"
        " (dormant ones: their span no longer yields anything).",
    )
    generation: int = Field(description="The snapshot generation the answer was read from.")


class SearchHit(BaseModel):
    entity: EntityRef
    matched: str = Field(description="The name or alias that matched.")
    alias: bool
    match: Literal["exact", "prefix", "words", "fuzzy"]


class GraphNode(BaseModel):
    id: str
    name: str
    schema_: str = Field(alias="schema", serialization_alias="schema")
    cell: int | None
    links: int
    measures: dict[str, float]
    depth: int | None = None
    date: str | None = Field(None, description="An event's date.")
    x: float | None = None
    y: float | None = None

    model_config = {"populate_by_name": True}


class GraphEdge(BaseModel):
    id: str
    source: str
    target: str
    type: str
    detail: str
    directed: bool
    confidence: float
    hedged: bool
    inferred: bool
    asserted: bool
    first_seen: str | None


class Graph(BaseModel):
    """Nodes and edges ready for drawing; ``x``/``y`` set when a layout was asked for."""

    nodes: list[GraphNode]
    edges: list[GraphEdge]
    truncated: bool = Field(description="True when a node or edge cap cut the result.")
    centre: str | None = None


class PathHop(BaseModel):
    source: EntityRef
    target: EntityRef
    ties: list[Tie]


class PathResult(BaseModel):
    """The shortest path between two entities, every hop with its ties and quotes."""

    found: bool
    length: int | None
    nodes: list[EntityRef]
    hops: list[PathHop]
    alternatives: list[dict[str, Any]] = Field(
        [], description="Further paths from the analysis library (Yen), best first."
    )


class Cell(BaseModel):
    id: int
    size: int
    internal_ties: int
    bridges: int
    density: float
    members: list[EntityRef]


class Ranked(BaseModel):
    entity: EntityRef
    measures: dict[str, float]


class KeyPlayers(BaseModel):
    method: str
    score: float | None
    items: list[Ranked]
    check: dict[str, Any] | None = Field(
        default=None,
        description="Whether the data can separate the options (docs/analysis.md); "
        "when its verdict is cannot_tell, items is empty.",
    )


class TriageTarget(BaseModel):
    entity: EntityRef
    officers: int
    coverage: float
    contribution: float | None


class Triage(BaseModel):
    """Whom to watch with the officers available; network evidence only, never attributes."""

    officers: int
    per_target: int
    method: str
    targets: list[TriageTarget]
    partial: TriageTarget | None
    score: float | None
    score_top_betweenness: float | None
    uncovered: dict[str, Any]
    inputs: str = Field(
        "documented ties and their evidence only; no personal attribute is an input",
        description="What the ranking rests on (design principle 4).",
    )


class Contagion(BaseModel):
    """Complex-contagion exposure (Centola-Macy threshold model): inferred, not observed."""

    model: str
    inferred: Literal[True]
    threshold: float
    noise: float
    runs: int
    seeds: list[dict[str, Any]] = Field(description="Entities taken as having adopted.")
    adopted_share: float
    mean_rounds: float
    exposure: list[dict[str, Any]] = Field(
        description="Per entity: id, name, probability of adopting, mean round."
    )
    carrying_ties: list[dict[str, Any]] = Field(description="The ties that carried the spread.")


class Claim(BaseModel):
    id: str
    quantity: str
    value: Any
    value_text: str
    qualifier: str
    unit: str
    hedged: bool
    attributed_to: str = ""
    evidence: list[Evidence]


class Event(BaseModel):
    entity: EntityRef
    date: str | None
    places: list[EntityRef]
    participants: list[EntityRef]
    claims: list[Claim]


class Conflict(BaseModel):
    """Sources that disagree on one quantity of one subject, side by side."""

    subject: EntityRef
    quantity: str
    values: list[Any]
    claims: list[Claim]
    explanation: str | None = None
    compatible: bool | None = None


class AssertedTie(BaseModel):
    id: str
    type: str
    source: str
    target: str
    detail: str
    statement: str
    analyst: str
    confidence: float
    source_label: str | None
    target_label: str | None
    created_at: datetime
    retracted_at: datetime | None = None
    retracted_by: str | None = None


class TieTypeInfo(BaseModel):
    name: str
    meaning: str
    directed: bool
    type_class: str
    count: int


class Meta(BaseModel):
    """What the workspace holds and what the server can do."""

    workspace: str
    version: str
    counts: dict[str, int]
    schemata: dict[str, int]
    tie_types: list[TieTypeInfo]
    measures: list[str]
    date_min: str | None
    date_max: str | None
    features: dict[str, bool]
    load_seconds: float
    defaults: dict[str, Any] = Field(
        default_factory=dict,
        description="The analysis defaults every interface reads (threadline.analyze.defaults).",
    )
    roles: dict[str, list[str]] = Field(
        default_factory=dict,
        description="The roles an analyst may give a person or a group (by schema).",
    )


class SummaryConflict(BaseModel):
    subject: str = Field(description="The entity the sources disagree about (its name).")
    quantity: str
    values: list[Any]


class SummaryActor(BaseModel):
    name: str
    schema_: str = Field(alias="schema", serialization_alias="schema")
    degree: float
    betweenness: float

    model_config = {"populate_by_name": True}


class Summary(BaseModel):
    """What ``threadline run`` prints at the end (``threadline.usecases.summary``)."""

    documents: int
    entities: dict[str, int] = Field(description="Entities by schema.")
    ties: int
    claims: int
    conflicts: list[SummaryConflict]
    key_actors: list[SummaryActor] = Field(
        description="People and groups by betweenness, then degree (at most 8)."
    )


class NoteIn(BaseModel):
    target_kind: Literal["entity", "tie"]
    target: str = Field(min_length=1, max_length=200)
    analyst: str = Field(min_length=1, max_length=200)
    text: str = Field(min_length=1, max_length=10_000)


class AssertedTieIn(BaseModel):
    type: str = Field(description="A tie type of the vocabulary (see /api/meta).")
    source: str = Field(min_length=1, max_length=200)
    target: str = Field(min_length=1, max_length=200)
    analyst: str = Field(min_length=1, max_length=200)
    statement: str = Field(min_length=1, max_length=10_000, description="What the analyst knows.")
    detail: str = Field("", max_length=500)
    confidence: float = Field(1.0, ge=0.0, le=1.0)


class Retraction(BaseModel):
    analyst: str = Field(min_length=1, max_length=200)


class JudgementIn(BaseModel):
    """An analyst's decision on whether two entities are one identity."""

    a: str = Field(min_length=1, max_length=200)
    b: str = Field(min_length=1, max_length=200)
    verdict: Literal["same", "not_same", "unsure"]
    analyst: str = Field(min_length=1, max_length=200)
    reason: str = Field("", max_length=2000)


class SplitIn(BaseModel):
    """Split names (and the mentions carrying them) off an entity into a new identity."""

    names: list[str] = Field(min_length=1, max_length=100)
    analyst: str = Field(min_length=1, max_length=200)
    reason: str = Field("", max_length=2000)


class UndoIn(BaseModel):
    analyst: str = Field(min_length=1, max_length=200)
    judgement: str | None = Field(
        None,
        pattern=r"^[0-9]{1,9}$",
        description="Which judgement to undo, by its number (default: the last).",
    )


class JudgementResult(BaseModel):
    """What a judgement did: the judgement stored and how the entities changed."""

    judgement: dict[str, Any]
    entities: list[str] = Field(description="Ids of the entities the judgement touched now.")
    generation: int


CorrectionKind = Literal[
    "reject_entity",
    "set_schema",
    "reject_tie",
    "retype_tie",
    "set_role",
    "alias",
    "not_alias",
    "reject_mention",
    "set_mention_schema",
]


class CorrectionIn(BaseModel):
    """An analyst's correction (issue 18). ``kind`` says which; it names an ``entity``,
    a ``tie`` or a ``mention`` (as the kind needs) and the new value: ``schema``
    (set_schema, set_mention_schema), ``type`` and ``reverse`` (retype_tie), ``role``
    (set_role) or ``name`` (alias, not_alias)."""

    kind: CorrectionKind
    entity: str | None = Field(None, min_length=1, max_length=200)
    tie: str | None = Field(None, min_length=1, max_length=200)
    mention: str | None = Field(None, min_length=1, max_length=200)
    schema_: str | None = Field(
        None, alias="schema", max_length=50, description="Person, Organization, Address or Event."
    )
    type: str | None = Field(None, max_length=50, description="A tie type of the vocabulary.")
    reverse: bool = Field(False, description="retype_tie: the tie runs the other way.")
    document: str | None = Field(
        None,
        min_length=1,
        max_length=200,
        description="reject_tie, retype_tie: only the tie's statements in this document "
        "(the per-document review); default every statement.",
    )
    role: str | None = Field(None, max_length=50)
    name: str | None = Field(None, min_length=1, max_length=300)
    reason: str = Field("", max_length=2000)
    analyst: str | None = Field(
        None, min_length=1, max_length=200, description="Who (ignored when logged in)."
    )

    model_config = {"populate_by_name": True}


class CorrectionSpanOut(BaseModel):
    """A text span a correction is about: a mention, or a tie's sentence (``evidence``)
    and its two ends (``source``, ``target``); one ``group`` per sentence."""

    document: str
    start: int
    end: int
    text: str
    part: str
    group: int


class CorrectionOut(BaseModel):
    """A correction as stored, with its status on the latest run: ``applied``,
    ``dormant`` (its spans yield nothing now), ``undone`` or ``undo``."""

    id: int
    kind: str
    status: str
    note: str = ""
    text: str = Field(description="What it says, in words.")
    label: str = Field(description="The name of what was corrected, when it was recorded.")
    previous: str = Field(description="What it was: a schema, tie type or role.")
    spans: list[CorrectionSpanOut]
    mentions: list[str] = Field(description="The mentions it applied to on the latest run.")
    user: str
    created_at: str
    reason: str
    undoes: int | None = None
    undone_by: int | None = None
    entity: str | None = None
    tie: str | None = None
    mention: str | None = None
    schema_: str | None = Field(None, alias="schema", serialization_alias="schema")
    type: str | None = None
    reverse: bool | None = None
    role: str | None = None
    name: str | None = None
    generation: int | None = Field(None, description="The snapshot generation after it.")

    model_config = {"populate_by_name": True}


class CorrectionUndoIn(BaseModel):
    analyst: str | None = Field(None, min_length=1, max_length=200)
    reason: str = Field("", max_length=2000)


EntityDetail.model_rebuild()
