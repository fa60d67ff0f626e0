"""Merge proposals: pairs of people the resolver kept apart who may be one person.

Each proposal weighs evidence FOR (the same transliteration-aware name key, a
shared alias, a shared partial name, the same surname with a compatible given
name or initial, a declared alias the resolver refused) against evidence
AGAINST (different given names under one surname - brothers share surnames -, a
kunya as the only link, a stated tie between the two, both named in full in one
document, an analyst's "not the same"). Weights are in bits, like Fellegi-Sunter
match weights: the score is ``1 / (1 + 2 ** -(PRIOR + sum of weights))``, so
each item's contribution can be read off.

Candidates come from blocks (same name key, same surname skeleton, same alias,
a single-word name equal to a surname) and from the unions the resolver held
back; blocks larger than :data:`MAX_BLOCK` (very common names) are skipped.
Only people (schema Person) are proposed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from itertools import combinations
from typing import Any

from threadline.model import Entity, Evidence, Mention, Tie
from threadline.model.identity import Judgement, MergeStep, rule_text
from threadline.model.names import core_words, fold, name_key, parse_name, skeleton
from threadline.resolve.judgements import JudgementPlan, plan_for_workspace
from threadline.resolve.names import MATCH_THRESHOLD, SAME_FAMILY, compare_names
from threadline.store import Workspace
from threadline.store.judgements import load_judgements, load_merge_steps

#: Prior log2-odds that two people sharing a block are one (before any evidence).
PRIOR = -2.0
#: Blocks holding more entities than this are skipped (a very common name says little).
MAX_BLOCK = 40
#: Proposal statuses: no judgement yet, or the latest judgement on the pair.
STATUSES = ("open", "unsure", "not_same", "held_back")

# Evidence weights (bits). Positive is evidence for one person, negative for two.
W = {
    "same_name_key": 6.0,
    "declared_alias": 4.0,
    "shared_alias": 4.0,
    "compatible_initial": 3.0,
    "name_comparator": 3.0,
    "similar_given_names": 2.0,
    "partial_name": 2.0,
    "shared_partial_name": 1.5,
    "same_surname": 1.5,
    "held_by_judgement": 1.0,
    "shared_kunya": 1.0,
    "kunya_only": -1.0,
    "partial_ambiguous": -1.5,
    "same_document": -1.5,
    "named_together": -1.0,
    "conflicting_full_names": -2.0,
    "stated_tie": -4.0,
    "different_given_names": -5.0,
    "family_tie": -8.0,
    "judged_not_same": -10.0,
}


@dataclass
class Reason:
    """One piece of evidence on a proposal; ``weight`` > 0 is for, < 0 against."""

    code: str
    text: str
    weight: float
    evidence: list[Evidence] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "text": self.text,
            "weight": self.weight,
            "evidence": [ev.to_dict() for ev in self.evidence],
        }


@dataclass
class Proposal:
    """Two entities that may be one person, with the evidence both ways and a score."""

    left: Entity
    right: Entity
    score: float
    status: str
    evidence_for: list[Reason]
    evidence_against: list[Reason]
    judgement: int | None = None
    #: the documents naming each side, by entity id
    documents: dict[str, list[str]] = field(default_factory=dict)
    #: what carries no weight but matters (an "unsure" judgement, one held back)
    notes: list[Reason] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str]:
        return (self.left.id, self.right.id)

    def to_dict(self) -> dict[str, Any]:
        def side(e: Entity) -> dict[str, Any]:
            return {
                "id": e.id,
                "name": e.name,
                "names": e.names,
                "aliases": e.aliases,
                "documents": self.documents.get(e.id, []),
            }

        return {
            "left": side(self.left),
            "right": side(self.right),
            "score": self.score,
            "status": self.status,
            "judgement": self.judgement,
            "for": [r.to_dict() for r in self.evidence_for],
            "against": [r.to_dict() for r in self.evidence_against],
            "notes": [r.to_dict() for r in self.notes],
        }


@dataclass
class _Person:
    entity: Entity
    full: list[str]  # names of two core words or more (no bare kunya)
    singles: list[str]  # one-word names
    kunyas: list[str]
    forms: dict[str, str]  # folded name or alias -> as written
    keys: dict[str, str]  # name key -> a full name with it
    families: dict[str, list[str]]  # surname skeleton -> full names with it
    first: dict[str, Mention]  # folded surface form -> first mention


def _person(e: Entity, mentions: dict[str, Mention]) -> _Person:
    p = _Person(e, [], [], [], {}, {}, defaultdict(list), {})
    for m in sorted((mentions[i] for i in e.mentions if i in mentions), key=_pos):
        p.first.setdefault(fold(m.text), m)
    for n in dict.fromkeys([*e.names, *e.aliases]):
        p.forms.setdefault(fold(n), n)
        parts = parse_name(n)
        if parts.is_kunya_only:
            p.kunyas.append(n)
        elif len(core_words(n)) >= 2 and n in e.names:
            p.full.append(n)
            p.keys.setdefault(name_key(n), n)
            if parts.family:
                p.families[skeleton(parts.family)].append(n)
        elif len(core_words(n)) == 1 and n in e.names:
            p.singles.append(n)
    return p


def _pos(m: Mention) -> tuple[str, int]:
    return (m.document, m.start)


def propose(
    entities: Sequence[Entity],
    mentions: dict[str, Mention],
    ties: Sequence[Tie],
    steps: Sequence[MergeStep],
    texts: dict[str, str],
    judgements: Sequence[Judgement] = (),
    plan: JudgementPlan | None = None,
) -> list[Proposal]:
    """Every candidate pair of people with its evidence and score, best first (pure).

    ``steps`` are the resolver's merge steps (held ones seed candidates),
    ``texts`` the document texts by id (for quotes), ``judgements`` and ``plan``
    give each pair its status.
    """
    people = {e.id: _person(e, mentions) for e in entities if e.schema == "Person"}
    entity_of = {m: eid for eid, p in people.items() for m in p.entity.mentions}
    blocks: dict[str, set[str]] = defaultdict(set)
    surname_holders: dict[str, set[str]] = defaultdict(set)
    for eid, p in people.items():
        for k in p.keys:
            blocks["k:" + k].add(eid)
        for fam in p.families:
            blocks["f:" + fam].add(eid)
            surname_holders[fam].add(eid)
        for single in p.singles:
            blocks["f:" + skeleton(core_words(single)[0])].add(eid)
        for f in p.forms:
            blocks["a:" + f].add(eid)
    pairs: set[tuple[str, str]] = set()
    for members in blocks.values():
        if 1 < len(members) <= MAX_BLOCK:
            pairs.update(combinations(sorted(members), 2))
    held: dict[tuple[str, str], list[MergeStep]] = defaultdict(list)
    for s in steps:
        if s.outcome == "held" and s.a in entity_of and s.b in entity_of:
            a, b = sorted((entity_of[s.a], entity_of[s.b]))
            if a != b:
                held[(a, b)].append(s)
                pairs.add((a, b))
    tie_index: dict[tuple[str, str], list[Tie]] = defaultdict(list)
    for t in ties:
        tie_index[(min(t.source, t.target), max(t.source, t.target))].append(t)
    docs_full: dict[str, set[str]] = defaultdict(set)
    for eid, p in people.items():
        full = {fold(n) for n in p.full}
        for m in (mentions[i] for i in p.entity.mentions if i in mentions):
            if fold(m.text) in full:
                docs_full[eid].add(m.document)
    out = []
    for a, b in sorted(pairs):
        if a not in people or b not in people:
            continue
        pa, pb = people[a], people[b]
        reasons = _name_reasons(pa, pb, texts, surname_holders, people)
        reasons += _held_reasons(held.get((a, b), []), mentions, texts, reasons)
        reasons += _tie_reasons(tie_index.get((a, b), []))
        shared_docs = sorted(docs_full[a] & docs_full[b])
        if shared_docs and not any(r.code in ("family_tie", "stated_tie") for r in reasons):
            reasons.append(
                Reason(
                    "same_document",
                    f"both are named in full in {', '.join(shared_docs)}: the text tells "
                    "them apart there",
                    W["same_document"],
                )
            )
        status, jid, jreason = _status(pa.entity, pb.entity, judgements, plan)
        if not any(r.weight > 0 for r in reasons):
            continue  # shared a block, yet nothing speaks for one person
        if jreason is not None:
            reasons.append(jreason)
        total = PRIOR + sum(r.weight for r in reasons)
        score = round(1.0 / (1.0 + 2.0 ** (-total)), 4)
        out.append(
            Proposal(
                pa.entity,
                pb.entity,
                score,
                status,
                [r for r in reasons if r.weight > 0],
                [r for r in reasons if r.weight < 0],
                jid,
                {
                    e.id: sorted({mentions[m].document for m in e.mentions if m in mentions})
                    for e in (pa.entity, pb.entity)
                },
                [r for r in reasons if r.weight == 0],
            )
        )
    out.sort(key=lambda p: (-p.score, p.left.name, p.right.name))
    return out


def _ev(p: _Person, name: str, texts: dict[str, str]) -> list[Evidence]:
    m = p.first.get(fold(name))
    if m is None or m.document not in texts:
        return []
    return [m.evidence(texts[m.document])]


def _name_reasons(
    pa: _Person,
    pb: _Person,
    texts: dict[str, str],
    surname_holders: dict[str, set[str]],
    people: dict[str, _Person],
) -> list[Reason]:
    out: list[Reason] = []
    for k in sorted(set(pa.keys) & set(pb.keys)):
        na, nb = pa.keys[k], pb.keys[k]
        out.append(
            Reason(
                "same_name_key",
                f"same name up to transliteration: '{na}' / '{nb}' (key '{k}')",
                W["same_name_key"],
                _ev(pa, na, texts) + _ev(pb, nb, texts),
            )
        )
    keyed = {fold(pa.keys[k]) for k in set(pa.keys) & set(pb.keys)}
    shared = sorted((set(pa.forms) & set(pb.forms)) - keyed)
    kunyas = [f for f in shared if parse_name(pa.forms[f]).is_kunya_only]
    for f in shared:
        na, nb = pa.forms[f], pb.forms[f]
        ev = _ev(pa, na, texts) + _ev(pb, nb, texts)
        if f in kunyas:
            out.append(Reason("shared_kunya", f"both are called '{na}'", W["shared_kunya"], ev))
        elif len(core_words(na)) == 1:
            text = f"shared partial name '{na}'"
            out.append(Reason("shared_partial_name", text, W["shared_partial_name"], ev))
        else:
            out.append(Reason("shared_alias", f"shared alias '{na}'", W["shared_alias"], ev))
    if kunyas and len(kunyas) == len(shared) and not keyed:
        out.append(
            Reason(
                "kunya_only",
                "the only shared name is a kunya (weak: many men are 'Abu ...'; a kunya "
                "alone never merges)",
                W["kunya_only"],
            )
        )
    if not (set(pa.keys) & set(pb.keys)):
        out += _surname_reasons(pa, pb, texts)
    out += _partial_reasons(pa, pb, texts, surname_holders, people)
    out += _partial_reasons(pb, pa, texts, surname_holders, people)
    if not any(r.code == "same_name_key" for r in out):
        out += _comparator_reason(pa, pb, out)
    return out


def _given(name: str) -> str:
    """The first given name of ``name`` as written ("T" for "T. Benhadi")."""
    parts = parse_name(name)
    if not parts.given:
        return ""
    first = parts.given[0].strip(".")
    for word in re.split(r"[\s-]+", name):
        if fold(word).strip(".") == first:
            return word.strip(".")
    return first


def _same_family(a: str, b: str) -> bool:
    """Surnames that share a skeleton and are spelled alike (Ross and Rich share a
    skeleton but are not one name; Amerzouk and Amarzouk are)."""
    fa, fb = parse_name(a).family or "", parse_name(b).family or ""
    return SequenceMatcher(None, fa, fb).ratio() >= 0.7


def _surname_reasons(pa: _Person, pb: _Person, texts: dict[str, str]) -> list[Reason]:
    out: list[Reason] = []
    for fam in sorted(set(pa.families) & set(pb.families)):
        best: tuple[int, str, str, str] | None = None  # (rank, code, name a, name b)
        for na in pa.families[fam]:
            for nb in pb.families[fam]:
                ga, gb = _given(na), _given(nb)
                if not ga or not gb or not _same_family(na, nb):
                    continue
                if (len(ga) == 1 or len(gb) == 1) and fold(ga)[0] == fold(gb)[0]:
                    cand = (3, "compatible_initial", na, nb)
                elif SequenceMatcher(None, skeleton(ga), skeleton(gb)).ratio() >= 0.8:
                    cand = (2, "similar_given_names", na, nb)
                else:
                    cand = (1, "different_given_names", na, nb)
                if best is None or cand[0] > best[0]:
                    best = cand
        if best is None:
            continue
        _, code, na, nb = best
        ev = _ev(pa, na, texts) + _ev(pb, nb, texts)
        surnames = f"'{na}' / '{nb}'"
        out.append(Reason("same_surname", f"same surname: {surnames}", W["same_surname"], ev))
        ga, gb = _given(na), _given(nb)
        text = {
            "compatible_initial": f"compatible given names '{ga}' / '{gb}'",
            "similar_given_names": f"similar given names '{ga}' / '{gb}' (a spelling variant?)",
            "different_given_names": (
                f"different given names '{ga}' / '{gb}' under one surname: brothers share surnames"
            ),
        }[code]
        out.append(Reason(code, text, W[code]))
    return out


def _partial_reasons(
    pa: _Person,
    pb: _Person,
    texts: dict[str, str],
    surname_holders: dict[str, set[str]],
    people: dict[str, _Person],
) -> list[Reason]:
    """A one-word name of ``pa`` that is the surname of ``pb``'s full name."""
    out: list[Reason] = []
    for s in pa.singles:
        fam = skeleton(core_words(s)[0])
        if fam not in pb.families or fold(s) in pb.forms or fam in pa.families:
            continue  # (a surname of pa's own full name is explained by it)
        full = pb.families[fam][0]
        out.append(
            Reason(
                "partial_name",
                f"'{s}' is the surname of '{full}'",
                W["partial_name"],
                _ev(pa, s, texts) + _ev(pb, full, texts),
            )
        )
        holders = sorted(people[h].entity.name for h in surname_holders.get(fam, set()))
        if len(holders) > 1:
            out.append(
                Reason(
                    "partial_ambiguous",
                    f"'{s}' could be any of {len(holders)} people with that surname "
                    f"({', '.join(holders)})",
                    W["partial_ambiguous"],
                )
            )
    return out


def _comparator_reason(pa: _Person, pb: _Person, so_far: list[Reason]) -> list[Reason]:
    """The name comparator's verdict on the closest pair of full names."""
    best = None
    for na in pa.full:
        for nb in pb.full:
            c = compare_names(na, nb)
            if best is None or c.score > best.score:
                best = c
    if best is None:
        return []
    if best.is_match and not any(r.code == "compatible_initial" for r in so_far):
        return [
            Reason(
                "name_comparator",
                f"the names compare as {best.explanation} (threshold {MATCH_THRESHOLD})",
                W["name_comparator"],
            )
        ]
    if best.level == SAME_FAMILY:
        for r in so_far:
            if r.code == "different_given_names":
                r.text += f"; name comparator: {best.explanation}"
    return []


def _held_reasons(
    steps: list[MergeStep],
    mentions: dict[str, Mention],
    texts: dict[str, str],
    so_far: list[Reason],
) -> list[Reason]:
    out: list[Reason] = []
    seen: set[tuple[str, str]] = set()
    for s in steps:
        ma, mb = mentions.get(s.a), mentions.get(s.b)
        if ma is None or mb is None or (s.rule, s.why) in seen:
            continue
        seen.add((s.rule, s.why))
        if s.rule == "declared_alias":
            out.append(
                Reason(
                    "declared_alias",
                    f"a declared alias links '{ma.text}' and '{mb.text}'",
                    W["declared_alias"],
                    [m.evidence(texts[m.document]) for m in (ma, mb) if m.document in texts],
                )
            )
            out.append(
                Reason(
                    "conflicting_full_names",
                    f"the resolver held the alias back: {s.why}",
                    W["conflicting_full_names"],
                )
            )
        elif not (s.rule == "name_key" and any(r.code == "same_name_key" for r in so_far)):
            out.append(
                Reason(
                    "held_by_judgement",
                    f"{rule_text(s.rule)} would join '{ma.text}' and '{mb.text}' ({s.why})",
                    W["held_by_judgement"],
                )
            )
    return out


def _tie_reasons(ties: list[Tie]) -> list[Reason]:
    out: list[Reason] = []
    for t in ties:
        ev = t.evidence[:3]
        if t.type == "family":
            what = f" ('{t.detail}')" if t.detail else ""
            out.append(
                Reason(
                    "family_tie",
                    f"a stated family tie{what}: relatives are two people",
                    W["family_tie"],
                    ev,
                )
            )
        elif t.inferred:
            out.append(
                Reason("named_together", "named together in one sentence", W["named_together"], ev)
            )
        else:
            what = f", '{t.detail}'" if t.detail else ""
            out.append(
                Reason(
                    "stated_tie",
                    f"a stated tie ({t.type}{what}): the sources treat them as two people",
                    W["stated_tie"],
                    ev,
                )
            )
    return out


def _status(
    a: Entity, b: Entity, judgements: Sequence[Judgement], plan: JudgementPlan | None
) -> tuple[str, int | None, Reason | None]:
    """The latest judgement on the pair (by the mentions its sides stand for today)."""
    if plan is None:
        return "open", None, None
    ma, mb = set(a.mentions), set(b.mentions)
    for j in sorted(judgements, key=lambda j: j.id, reverse=True):
        st = plan.status.get(j.id)
        if st not in ("applied", "noted", "held_back") or j.id not in plan.sides:
            continue
        left, right = plan.sides[j.id]
        if not ((left & ma and right & mb) or (left & mb and right & ma)):
            continue
        who = f"#{j.id} by {j.user}, {j.created_at:%Y-%m-%d %H:%M}"
        why = f": {j.reason}" if j.reason else ""
        if st == "held_back":
            return "held_back", j.id, Reason("judged", f"judgement {who} is held back", 0.0)
        if j.verdict == "not_same":
            text = f"an analyst judged them not the same ({who}{why})"
            return "not_same", j.id, Reason("judged_not_same", text, W["judged_not_same"])
        if j.verdict == "unsure":
            return "unsure", j.id, Reason("judged_unsure", f"judged unsure ({who}{why})", 0.0)
    return "open", None, None


def workspace_proposals(ws: Workspace) -> list[Proposal]:
    """The merge proposals of the workspace's current resolution, best first."""
    mentions = {m.id: m for m in ws.mentions()}
    judgements = load_judgements(ws)
    plan = plan_for_workspace(ws, list(mentions.values()))
    return propose(
        ws.entities(),
        mentions,
        ws.ties(),
        load_merge_steps(ws),
        {d.id: d.text for d in ws.documents()},
        judgements,
        plan,
    )
