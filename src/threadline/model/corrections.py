"""Analyst corrections: what the machine got wrong, as records keyed by the text.

A :class:`Correction` says "this is not an entity", "this is a place", "this tie
is wrong", "this tie is of type T", "this person's role is R", "this name is (not)
an alias of this person". Like a judgement it is append-only, with who, when and
why; an ``undo`` row withdraws one. It names the *spans* it is about (document and
character offsets of the mentions, and for a tie the sentence that states it and
its two ends), never only ids: ids of entities and ties change when the resolver or
the tie model changes its mind, the text does not. A correction whose spans no
longer yield anything is *dormant*: kept and shown, applied again when they do.

>>> s = CorrectionSpan("d1", 10, 14, "Ford", "mention")
>>> s.overlaps(CorrectionSpan("d1", 0, 14, "a Ford", "mention"))
True
>>> s.overlaps(CorrectionSpan("d2", 10, 14, "Ford", "mention"))
False
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

#: Kinds of correction; ``undo`` rows withdraw an earlier correction.
ENTITY_KINDS = ("reject_entity", "set_schema", "set_role", "alias", "not_alias")
MENTION_KINDS = ("reject_mention", "set_mention_schema")
TIE_KINDS = ("reject_tie", "retype_tie")
KINDS = (*ENTITY_KINDS, *MENTION_KINDS, *TIE_KINDS)
UNDO = "undo"
#: What a span is in its correction: a mention, or a tie's sentence and its two ends.
PARTS = ("mention", "evidence", "source", "target")
#: The statuses a correction has on the latest run.
STATUSES = ("applied", "dormant", "undone", "undo")
#: The mention label each entity schema is built from (the resolver's ``SCHEMA`` reversed).
LABEL_OF_SCHEMA = {"Person": "PERSON", "Organization": "ORG", "Address": "PLACE", "Event": "EVENT"}


@dataclass(frozen=True)
class CorrectionSpan:
    """A stretch of a stored document a correction is about.

    ``part`` says what it is (:data:`PARTS`); the spans of one tie's evidence
    share a ``group`` (one group per sentence that states the tie).
    """

    document: str
    start: int
    end: int
    text: str
    part: str = "mention"
    group: int = 0

    def overlaps(self, other: CorrectionSpan) -> bool:
        """The same place in the text: same document, and the two spans share at least
        half of the shorter one (a re-extraction may widen "Smith" to "John Smith")."""
        return same_place(
            self.document, self.start, self.end, other.document, other.start, other.end
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "part": self.part,
            "group": self.group,
        }


def same_place(doc_a: str, start_a: int, end_a: int, doc_b: str, start_b: int, end_b: int) -> bool:
    """Whether two spans are one place of one document (see :meth:`CorrectionSpan.overlaps`).

    >>> same_place("d", 5, 15, "d", 10, 15), same_place("d", 0, 10, "d", 8, 20)
    (True, False)
    """
    if doc_a != doc_b:
        return False
    shared = min(end_a, end_b) - max(start_a, start_b)
    shortest = max(1, min(end_a - start_a, end_b - start_b))
    return shared > 0 and 2 * shared >= shortest


@dataclass(frozen=True)
class Correction:
    """One correction as stored (append-only).

    ``value`` is what the kind needs: the schema (``set_schema``,
    ``set_mention_schema``), the tie type (``retype_tie``), the role
    (``set_role``), the name (``alias``, ``not_alias``). ``previous`` is what it was
    (a tie's type, an entity's schema or role). ``target`` and ``label`` are the id and name of what was corrected when
    it was recorded (for people reading the history; the spans are what applies).
    """

    id: int
    kind: str
    target: str
    label: str
    value: str
    previous: str
    reverse: bool
    spans: tuple[CorrectionSpan, ...]
    user: str
    created_at: datetime
    reason: str = ""
    undoes: int | None = None

    def describe(self) -> str:
        """One line for messages: ``#4 not an entity: 'Ford Focus' (ana, 2024-05-01 10:00)``."""
        when = self.created_at.strftime("%Y-%m-%d %H:%M")
        return f"#{self.id} {self.text()} ({self.user}, {when})"

    def text(self) -> str:
        """What the correction says, in words."""
        what = f"'{self.label}'" if self.label else self.target
        if self.kind == UNDO:
            return f"undo of correction #{self.undoes}"
        if self.kind in ("reject_entity", "reject_mention"):
            return f"not an entity: {what}"
        if self.kind in ("set_schema", "set_mention_schema"):
            article = "an" if self.value[:1] in "AEIOU" else "a"
            return f"{what} is {article} {self.value}"
        if self.kind == "set_role":
            return f"the role of {what} is {self.value}"
        if self.kind == "alias":
            return f"'{self.value}' is an alias of {what}"
        if self.kind == "not_alias":
            return f"'{self.value}' is not an alias of {what}"
        if self.kind == "reject_tie":
            return f"no {self.previous} tie: {what}"
        flip = ", reversed" if self.reverse else ""
        return f"the tie {what} is {self.value}{flip}"
