"""Applying the analyst's corrections to a run: the pure core (no I/O).

Needs: every stored :class:`~threadline.model.corrections.Correction` (undo rows
included), the stored mentions and assertions. Produces: the mentions and
assertions the resolver reads (rejected mentions left out, retyped mentions
relabelled, rejected tie statements left out, retyped ones of their new type and
direction), then, once the resolver has built the entities, the roles and aliases
the analyst set (:meth:`CorrectionPlan.settle`), and each correction's status.

Corrections are applied at the text: a correction names spans of documents, and
applies to whatever mention or tie statement now sits at those spans. So it holds
after a re-extraction, a retrained tie model or a re-resolution, and everything
downstream (measures, cells, paths, key players, triage, exports, the report)
reads the corrected network. A correction whose spans yield nothing is dormant.

>>> from datetime import datetime
>>> from threadline.model import Mention
>>> from threadline.model.corrections import CorrectionSpan
>>> m = Mention("m1", "d", 0, 4, "Ford", "PERSON", "spacy", 0.8, "Ford")
>>> c = Correction(1, "reject_entity", "e1", "Ford", "", "", False,
...                (CorrectionSpan("d", 0, 4, "Ford"),), "ana", datetime(2026, 1, 1))
>>> plan = plan_corrections([c], [m])
>>> (plan.mentions, plan.status)
([], {1: 'applied'})
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from threadline.model import Assertion, Entity, Mention, Tie
from threadline.model.corrections import (
    LABEL_OF_SCHEMA,
    UNDO,
    Correction,
    CorrectionSpan,
    same_place,
)
from threadline.model.names import fold
from threadline.model.records import content_id
from threadline.resolve.roles import ROLES_OF_SCHEMA

_REJECT = ("reject_entity", "reject_mention")
_SCHEMA = ("set_schema", "set_mention_schema")
_TIE = ("reject_tie", "retype_tie")
_ENTITY = ("set_role", "alias", "not_alias")


def undone_by(history: Iterable[Correction]) -> dict[int, int]:
    """``{correction id: id of the undo row that withdrew it}``."""
    return {c.undoes: c.id for c in history if c.kind == UNDO and c.undoes is not None}


def in_force(history: Sequence[Correction]) -> list[Correction]:
    """The corrections neither undone nor undo rows, oldest first."""
    undone = undone_by(history)
    return [c for c in history if c.kind != UNDO and c.id not in undone]


class MentionIndex:
    """The mentions of each document, to find what now sits at a span."""

    def __init__(self, mentions: Iterable[Mention]) -> None:
        self.by_document: dict[str, list[Mention]] = defaultdict(list)
        self.by_id: dict[str, Mention] = {}
        for m in mentions:
            self.by_document[m.document].append(m)
            self.by_id[m.id] = m

    def at(self, span: CorrectionSpan) -> list[str]:
        """The ids of the mentions at ``span``: the exact one if any, else those sharing
        most of it (:func:`~threadline.model.corrections.same_place`)."""
        here = self.by_document.get(span.document, [])
        exact = [m.id for m in here if m.start == span.start and m.end == span.end]
        if exact:
            return exact
        return [
            m.id
            for m in here
            if same_place(m.document, m.start, m.end, span.document, span.start, span.end)
        ]

    def all_at(self, spans: Iterable[CorrectionSpan]) -> set[str]:
        return {i for s in spans for i in self.at(s)}


@dataclass
class CorrectionPlan:
    """The corrections of one run: the corrected inputs, and each correction's status.

    ``status`` maps each correction id to ``applied``, ``dormant``, ``undone`` or
    ``undo``; ``notes`` says why a correction is dormant; ``touched`` the mention
    ids each correction applied to.
    """

    mentions: list[Mention]
    index: MentionIndex
    active: list[Correction]
    status: dict[int, str] = field(default_factory=dict)
    notes: dict[int, str] = field(default_factory=dict)
    touched: dict[int, set[str]] = field(default_factory=dict)

    def _mark(self, c: Correction, found: bool, why: str = "") -> None:
        self.status[c.id] = "applied" if found else "dormant"
        if not found:
            self.notes[c.id] = why or "its text spans no longer yield a mention"

    def assertions(self, assertions: Iterable[Assertion]) -> list[Assertion]:
        """The statements the resolver reads: rejected tie statements left out, retyped
        ones of their new type and direction, and alias statements the analyst
        denied left out."""
        out = list(assertions)
        for c in self.active:
            if c.kind in _TIE:
                out = self._tie(c, out)
            elif c.kind == "not_alias":
                out = self._not_alias(c, out)
        return out

    def _tie(self, c: Correction, assertions: list[Assertion]) -> list[Assertion]:
        groups: dict[int, list[CorrectionSpan]] = defaultdict(list)
        for s in c.spans:
            groups[s.group].append(s)
        chosen: dict[int, bool] = {}  # assertion index -> whether its ends must swap
        for spans in groups.values():
            evidence = [s for s in spans if s.part == "evidence"]
            sources = self.index.all_at(s for s in spans if s.part == "source")
            targets = self.index.all_at(s for s in spans if s.part == "target")
            found: dict[int, bool] = {}
            for i, a in enumerate(assertions):
                if a.kind != "tie" or a.b is None:
                    continue
                ev = a.evidence
                if not any(
                    same_place(ev.document, ev.start, ev.end, e.document, e.start, e.end)
                    for e in evidence
                ):
                    continue
                if a.a in sources and a.b in targets:
                    found[i] = False
                elif a.a in targets and a.b in sources:
                    found[i] = True
            typed = {i: f for i, f in found.items() if assertions[i].type == c.previous}
            chosen.update(typed or found)
        self.touched[c.id] = {x for i in chosen for x in (assertions[i].a, assertions[i].b or "")}
        self._mark(c, bool(chosen), "no statement of a tie sits at its sentences any longer")
        if c.kind == "reject_tie":
            return [a for i, a in enumerate(assertions) if i not in chosen]
        out = list(assertions)
        for i, swap in chosen.items():
            a = assertions[i]
            first, second = (a.b or a.a, a.a) if swap else (a.a, a.b)
            out[i] = dataclasses.replace(
                a,
                type=c.value,
                a=first,
                b=second,
                detail=f"set by an analyst (correction #{c.id})",
                # the analyst read the sentence: a stated tie now, no longer a guess
                evidence=dataclasses.replace(a.evidence, extractor="analyst"),
            )
        return out

    def ties(self, ties: Sequence[Tie], entity_of: Mapping[str, str]) -> list[Tie]:
        """The resolved ``ties`` with the tie corrections no statement took applied.

        Some ties rest on no statement: the resolver derives them once the entities
        stand (an event named after a place is located in it, evidence the event's
        name). A tie correction whose sentences hold no statement applies to those:
        to the tie between the entities holding its end mentions whose evidence lies at
        its sentences. Rejected, that evidence leaves the tie (the tie goes with its
        last one); retyped, it moves to a tie of the new type and direction.
        """
        out = list(ties)
        for c in self.active:
            if c.kind in _TIE and self.status.get(c.id) == "dormant":
                out = self._derived_tie(c, out, entity_of)
        return out

    def _derived_tie(
        self, c: Correction, ties: list[Tie], entity_of: Mapping[str, str]
    ) -> list[Tie]:
        groups: dict[int, list[CorrectionSpan]] = defaultdict(list)
        for s in c.spans:
            groups[s.group].append(s)
        chosen: dict[int, tuple[bool, set[tuple[str, int, int]]]] = {}
        ends: set[str] = set()
        for spans in groups.values():
            evidence = [s for s in spans if s.part == "evidence"]
            src_m = self.index.all_at(s for s in spans if s.part == "source")
            tgt_m = self.index.all_at(s for s in spans if s.part == "target")
            sources = {entity_of[m] for m in src_m if m in entity_of}
            targets = {entity_of[m] for m in tgt_m if m in entity_of}
            found: dict[int, tuple[bool, set[tuple[str, int, int]]]] = {}
            for i, t in enumerate(ties):
                if t.source in sources and t.target in targets:
                    swap = False
                elif t.source in targets and t.target in sources:
                    swap = True
                else:
                    continue
                at = {
                    (ev.document, ev.start, ev.end)
                    for ev in t.evidence
                    if any(
                        same_place(ev.document, ev.start, ev.end, e.document, e.start, e.end)
                        for e in evidence
                    )
                }
                if at:
                    found[i] = (swap, at)
            typed = {i: f for i, f in found.items() if ties[i].type == c.previous}
            for i, (swap, at) in (typed or found).items():
                chosen[i] = (swap, chosen.get(i, (swap, set()))[1] | at)
            if typed or found:
                ends |= src_m | tgt_m
        if not chosen:
            return ties
        self.status[c.id] = "applied"
        self.notes.pop(c.id, None)
        self.touched[c.id] = ends
        out: list[Tie] = []
        moved: list[Tie] = []
        for i, t in enumerate(ties):
            if i not in chosen:
                out.append(t)
                continue
            swap, at = chosen[i]
            keep = [ev for ev in t.evidence if (ev.document, ev.start, ev.end) not in at]
            gone = [ev for ev in t.evidence if (ev.document, ev.start, ev.end) in at]
            if keep:
                out.append(dataclasses.replace(t, evidence=keep))
            if c.kind == "retype_tie":
                src, tgt = (t.target, t.source) if swap else (t.source, t.target)
                moved.append(
                    Tie(
                        content_id("t", c.value, src, tgt),
                        c.value,
                        src,
                        tgt,
                        f"set by an analyst (correction #{c.id})",
                        t.confidence,
                        [dataclasses.replace(ev, extractor="analyst") for ev in gone],
                    )
                )
        for m in moved:  # a retyped tie joins one of its type between its ends, if any
            same = next((k for k, t in enumerate(out) if t.id == m.id), None)
            if same is None:
                out.append(m)
            else:
                have = {(ev.document, ev.start, ev.end) for ev in out[same].evidence}
                extra = [ev for ev in m.evidence if (ev.document, ev.start, ev.end) not in have]
                out[same] = dataclasses.replace(out[same], evidence=[*out[same].evidence, *extra])
        return out

    def _not_alias(self, c: Correction, assertions: list[Assertion]) -> list[Assertion]:
        mine = self.index.all_at(c.spans)
        name = fold(c.value)
        by_id = self.index.by_id

        def denied(a: Assertion) -> bool:
            if a.kind != "alias" or a.b is None:
                return False
            for x, y in ((a.a, a.b), (a.b, a.a)):
                other = by_id.get(y)
                if x in mine and other is not None and fold(other.text) == name:
                    return True
            return False

        return [a for a in assertions if not denied(a)]

    def settle(self, entities: Sequence[Entity]) -> dict[str, str]:
        """Apply the roles and aliases the analyst set to the resolved ``entities`` (in
        place, aliases) and return the roles: ``{entity id: role}``."""
        holder = {m: e for e in entities for m in e.mentions}
        roles: dict[str, str] = {}
        for c in self.active:
            if c.kind not in _ENTITY:
                continue
            mine = self.index.all_at(c.spans)
            votes = Counter(holder[m].id for m in mine if m in holder)
            if not votes:
                self._mark(c, False)
                continue
            best = max(votes.items(), key=lambda kv: (kv[1], kv[0]))[0]
            e = next(x for x in entities if x.id == best)
            self.touched[c.id] = {m for m in mine if m in holder and holder[m].id == best}
            if c.kind == "set_role":
                if c.value not in ROLES_OF_SCHEMA.get(e.schema, ()):
                    self._mark(c, False, f"'{e.name}' is now a {e.schema}, which has no such role")
                    continue
                roles[e.id] = c.value
            elif c.kind == "alias":
                if fold(c.value) not in {fold(n) for n in (*e.names, *e.aliases)}:
                    e.aliases = [*e.aliases, c.value]
            else:
                name = fold(c.value)
                e.aliases = [a for a in e.aliases if fold(a) != name]
                e.names = [n for n in e.names if fold(n) != name or n == e.name]
            self._mark(c, True)
        return roles


def plan_corrections(history: Sequence[Correction], mentions: Sequence[Mention]) -> CorrectionPlan:
    """The corrected mentions of a run and the plan for its statements and entities.

    Rejected mentions are left out; a mention given another schema is relabelled
    (and marked ``attrs["analyst_label"]``, so the resolver's own relabelling leaves
    it alone). The corrections are applied oldest first, so a later one wins.
    """
    index = MentionIndex(mentions)
    active = in_force(history)
    plan = CorrectionPlan([], index, active)
    undone = undone_by(history)
    for c in history:
        if c.kind == UNDO:
            plan.status[c.id] = "undo"
        elif c.id in undone:
            plan.status[c.id] = "undone"
    rejected: set[str] = set()
    label: dict[str, str] = {}
    for c in active:
        if c.kind in _REJECT or c.kind in _SCHEMA:
            ids = index.all_at(c.spans)
            plan.touched[c.id] = ids
            plan._mark(c, bool(ids))
            for i in ids:
                if c.kind in _REJECT:
                    rejected.add(i)
                    label.pop(i, None)
                else:
                    label[i] = LABEL_OF_SCHEMA[c.value]
                    rejected.discard(i)
    for m in mentions:
        if m.id in rejected:
            continue
        if m.id in label:
            m = dataclasses.replace(
                m, label=label[m.id], attrs={**m.attrs, "analyst_label": label[m.id]}
            )
        plan.mentions.append(m)
    return plan


def _overlap(a: Iterable[CorrectionSpan], b: Iterable[CorrectionSpan]) -> bool:
    bs = list(b)
    return any(x.overlaps(y) for x in a for y in bs)


def _same_statement(new: Correction, old: Correction) -> bool:
    """Whether two tie corrections share a sentence and both its ends."""

    def groups(c: Correction) -> list[tuple[list[CorrectionSpan], ...]]:
        by: dict[int, list[CorrectionSpan]] = defaultdict(list)
        for s in c.spans:
            by[s.group].append(s)
        return [
            tuple([s for s in spans if s.part == p] for p in ("evidence", "source", "target"))
            for spans in by.values()
        ]

    for ev, src, tgt in groups(new):
        for ev2, src2, tgt2 in groups(old):
            if not _overlap(ev, ev2):
                continue
            if _overlap(src, src2 + tgt2) and _overlap(tgt, src2 + tgt2):
                return True
    return False


def conflict_with(new: Correction, active: Sequence[Correction]) -> tuple[Correction, str] | None:
    """The correction in force that ``new`` contradicts or repeats, and how; None if none.

    Two corrections meet when they are about one place of the text (overlapping
    mention spans; for ties, one sentence and both its ends). Of those, a rejection
    and a change (of schema, role, alias, tie type) contradict each other; two
    changes to different values contradict; an alias and a "not an alias" of one name
    contradict; the same correction twice repeats.
    """
    for old in active:
        if new.kind in _TIE or old.kind in _TIE:
            if not (new.kind in _TIE and old.kind in _TIE and _same_statement(new, old)):
                continue
            if new.kind == old.kind == "reject_tie":
                return old, "the tie is rejected already"
            if new.kind != old.kind:
                return old, "a tie cannot be both rejected and retyped"
            if (new.value, new.reverse) == (old.value, old.reverse):
                return old, "the tie is retyped so already"
            return old, f"the tie is retyped to {old.value} already"
        if not _overlap(new.spans, old.spans):
            continue
        rejects = (new.kind in _REJECT, old.kind in _REJECT)
        if all(rejects):
            return old, "these mentions are rejected already"
        if any(rejects):
            return old, "a name cannot be rejected as no entity and corrected at once"
        if new.kind in _SCHEMA and old.kind in _SCHEMA:
            if new.value == old.value:
                return old, f"these mentions are set to {old.value} already"
            return old, f"these mentions are set to {old.value} already, not {new.value}"
        if new.kind == old.kind == "set_role":
            if new.value == old.value:
                return old, f"the role is set to {old.value} already"
            return old, f"the role is set to {old.value} already, not {new.value}"
        if {new.kind, old.kind} <= {"alias", "not_alias"} and fold(new.value) == fold(old.value):
            if new.kind == old.kind:
                return old, "this alias correction is recorded already"
            return old, f"'{new.value}' cannot be both an alias and not an alias"
    return None
