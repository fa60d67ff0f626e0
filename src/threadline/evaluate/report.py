"""The result of ``threadline eval``: figures, error lists, JSON form and a text table.

:func:`threadline.evaluate.scoring.score` builds an :class:`EvalReport`; this
module only holds it and renders it, so the scoring rule and its presentation
change independently. Ratios are ``None`` when their denominator is zero
(nothing exported, nothing in the gold), never a made-up 0 or 1.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass(frozen=True)
class GoldRef:
    """A gold record (person or organisation) by id and canonical name."""

    gold_id: str
    name: str


@dataclass(frozen=True)
class EntityRef:
    """An exported entity by id and display name."""

    entity_id: str
    name: str


@dataclass(frozen=True)
class SplitPerson:
    """A gold person that several exported entities each match."""

    gold_id: str
    name: str
    entity_ids: tuple[str, ...]


@dataclass(frozen=True)
class OverMerged:
    """An exported entity whose names belong to several gold records, heaviest first."""

    entity_id: str
    name: str
    gold_ids: tuple[str, ...]


@dataclass(frozen=True)
class NoiseHit:
    """An exported person carrying a string the gold lists as noise."""

    entity_id: str
    name: str
    noise: str


@dataclass(frozen=True)
class AliasRef:
    """A gold alias of a gold person."""

    gold_id: str
    name: str
    alias: str


@dataclass(frozen=True)
class PairRef:
    """An unordered pair of gold records, with the tie types on each side.

    ``gold_types`` are the gold relation types of the pair (empty for a false
    pair); ``exported_types`` the types of the exported ties mapped onto it
    (empty for a missed pair).
    """

    a: str
    b: str
    a_name: str
    b_name: str
    gold_types: tuple[str, ...]
    exported_types: tuple[str, ...]


@dataclass(frozen=True)
class ContradictionRef:
    """A gold contradiction topic with its distinct numbers, and the conflict that found it."""

    topic: str
    values: tuple[str, ...]
    found_by: str | None


@dataclass(frozen=True)
class PersonScores:
    """Person identity figures.

    ``gold`` counts the required gold persons (not optional, not photographers)
    and ``matched`` those that at least one exported person matches (recall).
    ``exported`` counts the exported persons that precision judges and
    ``exported_matching`` those among them that match one gold person.

    An over-merged entity matches no single gold person, so it adds to no
    one's recall and counts in ``exported`` but not in ``exported_matching``
    (unless every person it mixes is optional). Entities matching an optional
    person or a photographer count in neither. ``noise`` flags persons carrying
    a noise string whatever they match; ``false`` lists those matching nothing.
    """

    precision: float | None
    recall: float | None
    matched: int
    gold: int
    exported: int
    exported_matching: int
    split: tuple[SplitPerson, ...]
    over_merged: tuple[OverMerged, ...]
    noise: tuple[NoiseHit, ...]
    missed: tuple[GoldRef, ...]
    false: tuple[EntityRef, ...]


@dataclass(frozen=True)
class AliasScores:
    """Alias recall: gold aliases carried together with the person's canonical name."""

    recall: float | None
    found: tuple[AliasRef, ...]
    missed: tuple[AliasRef, ...]


@dataclass(frozen=True)
class OrganizationScores:
    """Organisation recall (no precision: the gold does not list every group named)."""

    recall: float | None
    matched: int
    gold: int
    missed: tuple[GoldRef, ...]


@dataclass(frozen=True)
class TieScores:
    """Tie figures over unordered pairs of gold persons/organisations.

    ``typed_accuracy`` is ``typed_correct / gold``: the share of *all* gold
    pairs found with a tie of the right type class, so it is at most the recall.
    ``mistyped`` lists the pairs found with no tie of a right class.
    """

    precision: float | None
    recall: float | None
    matched: int
    exported: int
    gold: int
    typed_correct: int
    typed_accuracy: float | None
    missed: tuple[PairRef, ...]
    false: tuple[PairRef, ...]
    mistyped: tuple[PairRef, ...]


@dataclass(frozen=True)
class ContradictionScores:
    """Gold contradiction topics with two or more different numbers, found or missed."""

    found: int
    total: int
    found_topics: tuple[ContradictionRef, ...]
    missed_topics: tuple[ContradictionRef, ...]


@dataclass(frozen=True)
class EvalReport:
    """Everything ``threadline eval`` measures for one export against one gold file."""

    persons: PersonScores
    aliases: AliasScores
    organizations: OrganizationScores
    ties: TieScores
    contradictions: ContradictionScores


def report_to_dict(report: EvalReport) -> dict[str, Any]:
    """The report as plain JSON-able data (lists, dicts, str, int, float, None).

    >>> import json
    >>> from threadline.evaluate import score
    >>> json.loads(json.dumps(report_to_dict(score({}, {"persons": [], "organizations": [],
    ...     "relations": []}))))["ties"]["gold"]
    0
    """
    return _listify(asdict(report))


def _listify(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _listify(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_listify(v) for v in value]
    return value


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def _pair(p: PairRef) -> str:
    types = "/".join(p.gold_types)
    if p.exported_types:
        types = f"{types} vs {'/'.join(p.exported_types)}" if types else "/".join(p.exported_types)
    return f"{p.a_name} -- {p.b_name} ({types})"


def format_report(report: EvalReport) -> str:
    """A compact text table of the headline figures followed by every error list.

    Lists that are empty are left out, so a perfect score prints only the table.
    """
    p, a, o, t, c = (
        report.persons,
        report.aliases,
        report.organizations,
        report.ties,
        report.contradictions,
    )
    rows = [
        ("persons precision", _pct(p.precision), f"{p.exported_matching}/{p.exported} exported"),
        ("persons recall", _pct(p.recall), f"{p.matched}/{p.gold} gold"),
        ("alias recall", _pct(a.recall), f"{len(a.found)}/{len(a.found) + len(a.missed)} gold"),
        ("organisation recall", _pct(o.recall), f"{o.matched}/{o.gold} gold"),
        ("tie pair precision", _pct(t.precision), f"{t.matched}/{t.exported} exported pairs"),
        ("tie pair recall", _pct(t.recall), f"{t.matched}/{t.gold} gold pairs"),
        ("typed tie accuracy", _pct(t.typed_accuracy), f"{t.typed_correct}/{t.gold} gold pairs"),
        ("contradictions found", "", f"{c.found}/{c.total} topics"),
    ]
    width = max(len(r[0]) for r in rows)
    lines = [f"{label:<{width}}  {figure:>5}  {counts}".rstrip() for label, figure, counts in rows]

    sections: list[tuple[str, list[str]]] = [
        ("split persons", [f"{s.name} [{s.gold_id}]: {', '.join(s.entity_ids)}" for s in p.split]),
        (
            "over-merged entities",
            [f"{m.entity_id} {m.name!r}: {', '.join(m.gold_ids)}" for m in p.over_merged],
        ),
        ("noise persons", [f"{n.entity_id} {n.name!r}: {n.noise!r}" for n in p.noise]),
        ("missed persons", [f"{g.name} [{g.gold_id}]" for g in p.missed]),
        ("false persons", [f"{e.entity_id} {e.name!r}" for e in p.false]),
        ("missed aliases", [f"{x.alias!r} of {x.name}" for x in a.missed]),
        ("missed organisations", [f"{g.name} [{g.gold_id}]" for g in o.missed]),
        ("missed pairs", [_pair(x) for x in t.missed]),
        ("false pairs", [_pair(x) for x in t.false]),
        ("mistyped pairs", [_pair(x) for x in t.mistyped]),
        ("missed contradictions", [f"{x.topic}: {', '.join(x.values)}" for x in c.missed_topics]),
    ]
    for title, items in sections:
        if items:
            lines.append("")
            lines.append(f"{title} ({len(items)}):")
            lines.extend(f"  {item}" for item in items)
    return "\n".join(lines)
