"""Person records from tables, and the links record linkage finds between them.

A :class:`PersonRecord` is one row of a record file (a CSV of people: name,
aliases, date of birth, nationality, address, phone, identity document). Its
evidence is the file and the row; its name is also stored as a PERSON mention of
the file, so it resolves with the names found in text.

A :class:`RecordLink` says two records are one person and why: the Splink match
weight and, per comparison, the level the pair reached and the weight that level
carries (:class:`LinkReason`), or the rule that linked them (a shared identity
document number under two names).
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Record fields a column map may name (``name`` or ``given`` + ``family`` is required).
RECORD_FIELDS = (
    "id",
    "name",
    "given",
    "family",
    "alias",
    "dob",
    "nationality",
    "address",
    "phone",
    "doc",
)

#: How a link was made: the linkage model scored the pair at or above the threshold.
RULE_MODEL = "splink"
#: How a link was made: the same identity document number under two names.
RULE_SHARED_DOCUMENT = "shared document number"
#: How a link was made: one full name on records nothing tells apart, and no other
#: identity carries that name.
RULE_SAME_NAME = "same name"


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """One person row of a record file.

    ``id`` is a content id (file hash and row) that survives re-imports;
    ``source_id`` is the file's own id column (or the row number). ``row``
    counts the header as row 1, as a spreadsheet shows it. ``mention`` is the id
    of the PERSON mention that carries ``name``; ``alias_mentions`` those of the
    aliases, in order. Values are as the file states them, checked and trimmed:
    ``dob`` is ISO (``1989-09-15``, or ``1989`` when only the year is known),
    ``doc_number`` upper-case letters and digits, ``phone`` as written.
    """

    id: str
    document: str
    row: int
    source_id: str
    name: str
    mention: str
    given: str | None = None
    family: str | None = None
    aliases: tuple[str, ...] = ()
    alias_mentions: tuple[str, ...] = ()
    dob: str | None = None
    nationality: str | None = None
    address: str | None = None
    phone: str | None = None
    doc_number: str | None = None
    #: identity documents of a type the mapping declares: (type, number), at most one
    #: number per type ("passport", "national_id" ...); two numbers of one type never
    #: end in one identity unless an analyst judges them the same
    documents: tuple[tuple[str, str], ...] = ()
    #: whether ``doc_number`` of undeclared type still counts as an identity document for
    #: the shared-document rule (``records import``'s ``doc``); False for a mapping's
    #: ``document`` without ``document_type``, which is one comparison of the model only
    untyped_document_rule: bool = True


@dataclass(frozen=True, slots=True)
class LinkReason:
    """One comparison of a scored pair: the level it reached and that level's weight.

    ``weight`` is the level's match weight in bits (log2 of its Bayes factor,
    term-frequency adjustment included): positive is evidence for a match,
    negative against, zero neutral (a value missing on either side).
    """

    comparison: str
    level: str
    weight: float

    def to_dict(self) -> dict[str, object]:
        return {"comparison": self.comparison, "level": self.level, "weight": round(self.weight, 2)}


@dataclass(frozen=True, slots=True)
class RecordLink:
    """Two records (ids, ``a < b``) and why linkage holds them to be one person.

    ``rule`` is :data:`RULE_MODEL` or :data:`RULE_SHARED_DOCUMENT`. ``linked`` is
    False for a pair the model scored below the threshold (kept as evidence: a
    near miss, or a conflict that keeps two same-named records apart). ``alias``
    names the record whose name is another name of the same person (two names on
    one identity document: the later one is filed as an alias).
    """

    a: str
    b: str
    rule: str
    match_weight: float | None
    match_probability: float | None
    reasons: tuple[LinkReason, ...] = field(default_factory=tuple)
    linked: bool = True
    #: the record (``a`` or ``b``) whose name is an alias of the other's (a fake identity)
    alias: str | None = None

    def to_dict(self) -> dict[str, object]:
        return link_dict(
            self.rule,
            self.linked,
            self.match_weight,
            self.match_probability,
            reasons_dicts(self.reasons),
        )

    def against(self, comparisons: tuple[str, ...]) -> bool:
        """Whether any of ``comparisons`` counted against the match (negative weight)."""
        return any(r.comparison in comparisons and r.weight < 0 for r in self.reasons)


def link_dict(
    rule: str,
    linked: bool,
    match_weight: float | None,
    match_probability: float | None,
    reasons: list[dict[str, object]],
) -> dict[str, object]:
    """A link as the export shows it (:meth:`RecordLink.to_dict`), from its fields and
    its :func:`reasons_dicts`."""
    return {
        "rule": rule,
        "linked": linked,
        "match_weight": None if match_weight is None else round(match_weight, 2),
        "match_probability": None if match_probability is None else round(match_probability, 6),
        "reasons": reasons,
    }


def reasons_dicts(
    reasons: tuple[LinkReason, ...], shown: dict[LinkReason, dict[str, object]] | None = None
) -> list[dict[str, object]]:
    """The reasons of a link as :meth:`RecordLink.to_dict` shows them; ``shown`` keeps
    each reason's dict (one per distinct reason, shared: the caller only reads them),
    for links that share reasons."""
    if shown is None:
        return [r.to_dict() for r in reasons]
    out = []
    for r in reasons:
        d = shown.get(r)
        if d is None:
            d = shown[r] = r.to_dict()
        out.append(d)
    return out
