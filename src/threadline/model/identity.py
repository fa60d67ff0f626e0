"""Records about identity decisions: analyst judgements and the resolver's merge steps.

A :class:`Judgement` is an analyst's verdict on two sides (same / not same /
unsure), or an ``undo`` of an earlier judgement. Judgements are append-only:
changing one's mind appends a new row, history is never rewritten (the model
is nomenklatura's resolver edges, with who and when on every row).

A side is stored as the *mentions* the judged entity had at that time plus its
name, not only the entity id: entity ids are hashes of canonical names and
change when a merge changes the name, while mention ids are content hashes of a
document and a span and survive re-runs.

A :class:`MergeStep` is one union the resolver made (or held back): which rule
joined which two mentions. The steps of an entity are the evidence behind it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

#: The verdicts an analyst gives; ``undo`` rows withdraw an earlier judgement.
VERDICTS = ("same", "not_same", "unsure")
UNDO = "undo"
#: How a judgement was made (shown in the history).
ORIGINS = ("merge", "judge", "split", "review", "undo")

#: Why the resolver joined two mentions, strongest evidence first. Codes are stable
#: (the JSON output carries them); the text is what the CLI shows.
MERGE_RULES: dict[str, str] = {
    "judgement": "an analyst judged them the same",
    "record_link": (
        "record linkage: the model scored the rows (names, date of birth, document, phone, "
        "address) as one person"
    ),
    "shared_document": "one declared identity document number on both rows",
    "record_alias": "a name and an alias given in one record row",
    "record_name": (
        "one full name on records nothing tells apart (no other identity carries the name)"
    ),
    "in_document_name": (
        "one name in one document (a partial name the extractor tied to its full name)"
    ),
    "declared_alias": "an alias declared in the text",
    "name_key": "the same transliteration-aware name key in different documents",
    "single_name": "the same single-word name",
    "surname_of_one_person": "a single-word name that only one full name in the corpus carries",
    "organisation_name": "the same organisation name",
    "organisation_variant": "an organisation name with a generic tail or 'of ...' qualifier",
    "acronym": "the acronym of the organisation's name",
    "place_name": "the same place name",
    "event": "the same event",
}


#: Who decides a merge made by each rule: an analyst only for judgements.
DECIDED_BY: dict[str, str] = {
    "judgement": "an analyst",
    "record_link": "the record linkage model (Splink), at the workspace's threshold",
    "shared_document": "threadline's shared-document rule",
    "record_alias": "the record file (the row gives both names)",
    "record_name": "threadline's same-name rule for records",
}


def decided_by(rule: str) -> str:
    """Who made a merge of this rule: an analyst for a judgement, else the rule itself."""
    return DECIDED_BY.get(rule, "threadline's name rules")


def rule_text(rule: str) -> str:
    """What a merge rule code means, for people (unknown codes are shown as they are)."""
    return MERGE_RULES.get(rule, rule.replace("_", " "))


#: What became of a union a rule proposed: it joined two clusters, the mentions were
#: already one (the rule corroborates), or it was held back (``why`` says why).
OUTCOMES = ("joined", "redundant", "held")


@dataclass(frozen=True)
class MergeStep:
    """One union of two mentions a resolver rule proposed, and what became of it.

    ``detail`` is what the rule matched on (a name key, the in-document key). A
    ``held`` step names why in ``why`` ("an analyst judged them not the same",
    "each carries a different full name").
    """

    rule: str
    a: str
    b: str
    detail: str = ""
    outcome: str = "joined"
    why: str = ""


@dataclass(frozen=True)
class JudgementSide:
    """One side of a judgement: the mentions of the entity (or part) judged, and its name."""

    entity: str
    name: str
    mentions: frozenset[str]


@dataclass(frozen=True)
class Judgement:
    """An analyst's verdict, as stored (append-only).

    ``batch`` groups rows recorded together (the pairs of parts of one split share
    the id of the first); ``undoes`` is the id an ``undo`` row withdraws.
    """

    id: int
    batch: int
    verdict: str
    origin: str
    left: JudgementSide | None
    right: JudgementSide | None
    user: str
    created_at: datetime
    reason: str = ""
    undoes: int | None = None

    def describe(self) -> str:
        """One line for messages: ``#3 'A' = 'B' (ana, 2024-05-01 10:00)``."""
        when = self.created_at.strftime("%Y-%m-%d %H:%M")
        left = self.left.name if self.left else "?"
        right = self.right.name if self.right else "?"
        if self.verdict == UNDO:
            what = f" ('{left}' / '{right}')" if self.left and self.right else ""
            return f"#{self.id} undo of #{self.undoes}{what} ({self.user}, {when})"
        sign = {"same": "=", "not_same": "≠", "unsure": "?"}[self.verdict]
        return f"#{self.id} '{left}' {sign} '{right}' ({self.user}, {when})"
