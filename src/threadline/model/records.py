"""Records that flow between pipeline stages.

Identifiers are content hashes of what a record rests on (document hash and
span, or the names of an identity), never insertion order, so they survive
re-runs and incremental ingest.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any


def content_id(prefix: str, *parts: object, length: int = 16) -> str:
    """A short, stable id derived from ``parts``.

    >>> content_id("m", "abc", 1, 5)
    'me9b3a7977c4c75fb'
    >>> content_id("m", "abc", 1, 5) == content_id("m", "abc", 1, 5)
    True
    """
    h = hashlib.sha256("\x1f".join(str(p) for p in parts).encode("utf-8")).hexdigest()
    return f"{prefix}{h[:length]}"


@dataclass(frozen=True)
class Evidence:
    """The exact span of a stored document that supports a name, tie or claim.

    ``quote`` equals ``document.text[start:end]``. Evidence from a record (a row
    of a table) carries ``row`` (and ``sheet`` for a workbook) and may have an
    empty quote; ``facts`` holds what the record states beyond the tie itself
    (a call count, first and last contact, a period), as ``(name, value)`` pairs.
    """

    document: str
    start: int
    end: int
    quote: str
    extractor: str
    confidence: float
    hedged: bool = False
    row: int | None = None
    sheet: str | None = None
    facts: tuple[tuple[str, Any], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "document": self.document,
            "start": self.start,
            "end": self.end,
            "quote": self.quote,
            "extractor": self.extractor,
            "confidence": round(self.confidence, 3),
        }
        if self.hedged:
            d["hedged"] = True
        if self.row is not None:
            d["row"] = self.row
        if self.sheet is not None:
            d["sheet"] = self.sheet
        if self.facts:
            d["facts"] = dict(self.facts)
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Evidence:
        return cls(
            document=d["document"],
            start=int(d["start"]),
            end=int(d["end"]),
            quote=d["quote"],
            extractor=d["extractor"],
            confidence=float(d["confidence"]),
            hedged=bool(d.get("hedged", False)),
            row=d.get("row"),
            sheet=d.get("sheet"),
            facts=tuple((d.get("facts") or {}).items()),
        )


@dataclass
class Document:
    """A stored source: its text exactly as decoded (or as extracted from HTML)."""

    id: str
    sha256: str
    source: str
    kind: str
    text: str
    encoding: str = "utf-8"
    title: str | None = None
    published: str | None = None
    outlet: str | None = None
    author: str | None = None
    url: str | None = None
    segments: list[dict[str, Any]] = field(default_factory=list)
    language: str | None = None


@dataclass
class Mention:
    """A name found in a document: a person, organisation, place or event.

    ``label`` is one of PERSON, ORG, PLACE, EVENT. ``key`` is the in-document
    identity the extractor assigned (partial names point to their full name).
    ``role`` holds a descriptor the text attaches to the name ("street preacher").
    """

    id: str
    document: str
    start: int
    end: int
    text: str
    label: str
    extractor: str
    confidence: float
    key: str
    segment: str = "body"
    attrs: dict[str, Any] = field(default_factory=dict)

    def evidence(self, doc_text: str) -> Evidence:
        return Evidence(
            self.document,
            self.start,
            self.end,
            doc_text[self.start : self.end],
            self.extractor,
            self.confidence,
        )


@dataclass
class Assertion:
    """Something a document states about mentions: a tie, an alias or a role.

    ``kind`` is ``tie`` (typed tie between mention ``a`` and ``b``), ``alias``
    (``b`` is another name of ``a``; ``detail`` says strong or weak) or
    ``role`` (``detail`` holds the role of ``a``).
    """

    id: str
    document: str
    kind: str
    type: str
    a: str
    b: str | None
    detail: str
    evidence: Evidence


@dataclass
class Claim:
    """A quantity a document states about an event or group.

    ``subject`` is a mention id (an event or group mention) or an event key.
    """

    id: str
    document: str
    subject: str
    quantity: str
    value: float
    qualifier: str
    unit: str
    evidence: Evidence
    value_text: str = ""
    #: who the document says stated it ("Belgian police", "the prosecutor's office")
    attributed_to: str = ""
    #: upper bound of a range ("between 30 and 35"); ``value`` is the lower bound
    value_high: float | None = None


@dataclass
class Entity:
    """An identity: the mentions the resolver holds to be one person, group, place or event."""

    id: str
    schema: str
    name: str
    names: list[str]
    aliases: list[str]
    mentions: list[str]
    roles: list[str] = field(default_factory=list)
    data: dict[str, Any] = field(default_factory=dict)


@dataclass
class Tie:
    """A typed tie between two entities, with every piece of evidence that states it."""

    id: str
    type: str
    source: str
    target: str
    detail: str
    confidence: float
    evidence: list[Evidence]
    hedged: bool = False
    inferred: bool = False
