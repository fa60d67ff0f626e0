"""The result of ``threadline eval``: figures, error lists, JSON form and a text table.

:func:`threadline.evaluate.scoring.score` builds an :class:`EvalReport`; this
module only holds it and renders it, so the scoring rule and its presentation
change independently.

:meth:`EvalReport.figures` are the figures of the gold's scoring rule under
the names ``gold/score.py`` prints, in its order, with its conventions: ratios
rounded to four decimals and ``0.0`` when the denominator is empty. The
dataclasses also hold the error lists a user reads to see *why* a figure is
what it is (split persons, false pairs…); those are extra and go under
``details`` in the JSON form.
"""

from __future__ import annotations

from collections.abc import Mapping
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
    """An exported entity whose names point to several gold records, heaviest first.

    ``counted_as`` is the gold record the rule still maps it to (the heaviest).
    """

    entity_id: str
    name: str
    gold_ids: tuple[str, ...]
    counted_as: str


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
    """A pair of ends by display name, with the tie types on each side.

    For a gold pair the ends are gold canonical names; for an exported pair
    that is not in the gold, an end the gold does not know is the exported
    entity's name. ``gold_types`` are the gold relation types of the pair
    (empty for a false pair); ``exported_types`` the types of the stated
    exported ties on it (empty for a missed pair).
    """

    a_name: str
    b_name: str
    gold_types: tuple[str, ...]
    exported_types: tuple[str, ...]


@dataclass(frozen=True)
class ContradictionRef:
    """A gold contradiction topic with its different numbers, and the conflict that found it."""

    topic: str
    values: tuple[int, ...]
    found_by: str | None


@dataclass(frozen=True)
class EvidenceScores:
    """Evidence integrity: quotes equal to the document text between their offsets."""

    checked: int
    exact: float
    texts_found: int


@dataclass(frozen=True)
class PersonScores:
    """Person identity figures.

    ``gold`` counts the required gold persons (not optional, not seeds-era
    photographers); ``exported`` every exported Person. ``split`` lists gold
    persons (optional ones too) matched by several entities, ``over_merged``
    entities whose names point to several gold persons, ``false`` the counted
    exported persons that match no gold person.
    """

    gold: int
    exported: int
    recall: float
    precision: float
    split: tuple[SplitPerson, ...]
    over_merged: tuple[OverMerged, ...]
    noise: tuple[NoiseHit, ...]
    missed: tuple[GoldRef, ...]
    false: tuple[EntityRef, ...]


@dataclass(frozen=True)
class RoleScores:
    """Role figures (gold ``role_class`` against exported ``role``); only for gold files with roles."""

    accuracy: float
    coverage: float
    network_precision: float
    network_recall: float
    wrong: tuple[str, ...]


@dataclass(frozen=True)
class AliasScores:
    """Alias recall: gold aliases carried together with the person's canonical name."""

    recall: float
    found: tuple[AliasRef, ...]
    missed: tuple[AliasRef, ...]


@dataclass(frozen=True)
class OrganizationScores:
    """Organisation recall (no precision: the gold does not list every group named)."""

    recall: float
    matched: int
    gold: int
    missed: tuple[GoldRef, ...]


@dataclass(frozen=True)
class TieScores:
    """Tie figures over unordered pairs of gold persons/organisations.

    The ``*_stated`` / ``*_strict`` / ``typed_precision`` / ``direction``
    figures count only stated ties (not ``inferred``); ``recall``,
    ``precision`` and ``typed_recall`` count every exported tie whose two
    ends match gold records. ``missed_stated`` lists gold pairs no stated tie
    found, ``false_stated`` stated pairs that are not gold pairs,
    ``mistyped`` stated ties on a gold pair with a type of another class,
    ``wrong_direction`` directed stated ties pointing against the gold.
    """

    gold: int
    exported_mapped: int
    unmapped_endpoint: int
    recall: float
    precision: float
    typed_recall: float
    direction_accuracy: float
    stated_pairs: int
    precision_strict: float
    recall_stated: float
    typed_precision: float
    person_person_recall: float
    person_person_missed: tuple[str, ...]
    missed_stated: tuple[PairRef, ...]
    false_stated: tuple[PairRef, ...]
    mistyped: tuple[PairRef, ...]
    wrong_direction: tuple[PairRef, ...]


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

    evidence: EvidenceScores
    persons: PersonScores
    roles: RoleScores | None
    aliases: AliasScores
    organizations: OrganizationScores
    ties: TieScores
    contradictions: ContradictionScores

    def figures(self) -> dict[str, Any]:
        """The figures by the names and in the order ``gold/score.py`` prints them.

        The role figures are present only when the gold gives roles.
        """
        ev, p, a, o, t, c = (
            self.evidence,
            self.persons,
            self.aliases,
            self.organizations,
            self.ties,
            self.contradictions,
        )
        out: dict[str, Any] = {
            "evidence_checked": ev.checked,
            "evidence_exact": ev.exact,
            "evidence_texts_found": ev.texts_found,
            "persons_gold": p.gold,
            "persons_exported": p.exported,
            "person_recall": p.recall,
            "person_precision": p.precision,
            "person_split": len(p.split),
            "person_overmerged": len(p.over_merged),
            "person_noise": len(p.noise),
            "persons_missed": sorted(g.name for g in p.missed),
        }
        if self.roles is not None:
            out |= {
                "role_accuracy": self.roles.accuracy,
                "role_coverage": self.roles.coverage,
                "network_precision": self.roles.network_precision,
                "network_recall": self.roles.network_recall,
            }
        out |= {
            "alias_recall": a.recall,
            "aliases_missed": [f"{x.name} = {x.alias}" for x in a.missed],
            "org_recall": o.recall,
            "tie_pairs_gold": t.gold,
            "tie_pairs_exported_mapped": t.exported_mapped,
            "ties_unmapped_endpoint": t.unmapped_endpoint,
            "tie_recall": t.recall,
            "tie_precision": t.precision,
            "tie_typed_recall": t.typed_recall,
            "tie_direction_accuracy": t.direction_accuracy,
            "stated_actor_tie_pairs": t.stated_pairs,
            "tie_precision_strict": t.precision_strict,
            "tie_recall_stated": t.recall_stated,
            "tie_typed_precision": t.typed_precision,
            "person_person_tie_recall": t.person_person_recall,
            "person_person_ties_missed": list(t.person_person_missed),
            "numeric_conflicts_gold": c.total,
            "numeric_conflicts_found": c.found,
        }
        return out


def report_to_dict(report: EvalReport) -> dict[str, Any]:
    """The figures (flat, as :meth:`EvalReport.figures`) and, under ``details``, every error list.

    Plain JSON-able data (lists, dicts, str, int, float).

    >>> import json
    >>> from threadline.evaluate import score
    >>> data = report_to_dict(score({}, {"persons": [], "organizations": [], "relations": []}))
    >>> json.loads(json.dumps(data))["tie_pairs_gold"]
    0
    """
    p, t = report.persons, report.ties
    details = {
        "split_persons": p.split,
        "over_merged": p.over_merged,
        "noise_persons": p.noise,
        "missed_persons": p.missed,
        "false_persons": p.false,
        "wrong_roles": report.roles.wrong if report.roles else (),
        "missed_aliases": report.aliases.missed,
        "missed_organizations": report.organizations.missed,
        "missed_stated_pairs": t.missed_stated,
        "false_stated_pairs": t.false_stated,
        "mistyped_ties": t.mistyped,
        "wrong_direction_ties": t.wrong_direction,
        "missed_contradictions": report.contradictions.missed_topics,
        "found_contradictions": report.contradictions.found_topics,
    }
    return {**report.figures(), "details": _plain(details)}


def _plain(value: Any) -> Any:
    if hasattr(value, "__dataclass_fields__"):
        return _plain(asdict(value))
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _pair(p: PairRef) -> str:
    types = "/".join(p.gold_types)
    if p.exported_types:
        types = f"{types} vs {'/'.join(p.exported_types)}" if types else "/".join(p.exported_types)
    return f"{p.a_name} -- {p.b_name} ({types})"


def format_report(report: EvalReport, *, extra: Mapping[str, Any] | None = None) -> str:
    """Every figure as ``name  value`` (score.py's names), then the error lists.

    ``extra`` figures (name -> value) are added at the end of the table. List
    figures (``persons_missed``…) are printed in full below the table; empty
    lists are left out, so a perfect score prints only the table.
    """
    figures = report.figures()
    scalars = {k: v for k, v in figures.items() if not isinstance(v, list)} | dict(extra or {})
    width = max(len(k) for k in scalars)
    lines = [f"{name:<{width}}  {value}" for name, value in scalars.items()]
    p, t, c = report.persons, report.ties, report.contradictions
    sections: list[tuple[str, list[str]]] = [
        ("persons_missed", [f"{g.name} [{g.gold_id}]" for g in p.missed]),
        ("split persons", [f"{s.name} [{s.gold_id}]: {', '.join(s.entity_ids)}" for s in p.split]),
        (
            "over-merged entities",
            [
                f"{m.entity_id} {m.name!r}: {', '.join(m.gold_ids)} (counted as {m.counted_as})"
                for m in p.over_merged
            ],
        ),
        ("noise persons", [f"{n.entity_id} {n.name!r}: {n.noise!r}" for n in p.noise]),
        ("false persons", [f"{e.entity_id} {e.name!r}" for e in p.false]),
        ("wrong roles", list(report.roles.wrong) if report.roles else []),
        ("aliases_missed", list(figures["aliases_missed"])),
        ("missed organisations", [f"{g.name} [{g.gold_id}]" for g in report.organizations.missed]),
        ("missed pairs (stated ties)", [_pair(x) for x in t.missed_stated]),
        ("false pairs (stated ties)", [_pair(x) for x in t.false_stated]),
        ("mistyped ties", [_pair(x) for x in t.mistyped]),
        ("ties against the gold's direction", [_pair(x) for x in t.wrong_direction]),
        ("person_person_ties_missed", list(t.person_person_missed)),
        (
            "missed contradictions",
            [f"{x.topic}: {', '.join(map(str, x.values))}" for x in c.missed_topics],
        ),
    ]
    for title, items in sections:
        if items:
            lines.append("")
            lines.append(f"{title} ({len(items)}):")
            lines.extend(f"  {item}" for item in items)
    return "\n".join(lines)
