"""The pure core of judgements: from stored verdicts to resolver constraints.

:func:`plan_judgements` turns the judgements into must-link and cannot-link pairs
of mention ids, and finds those it cannot apply: undone, stale (what they were
made on is gone) and contradicting (A = B, B = C, yet A ≠ C: all of them are held
back and reported). :func:`find_entity` and :func:`split_sides` turn what an
analyst types into judgement sides. No I/O here; :mod:`threadline.resolve.judgements`
records and reads.

>>> from threadline.model.identity import Judgement, JudgementSide
>>> from datetime import datetime
>>> side = lambda name, *ms: JudgementSide("e-" + name, name, frozenset(ms))
>>> t = datetime(2024, 5, 1)
>>> js = [
...     Judgement(1, 1, "same", "merge", side("A", "a"), side("B", "b"), "ana", t),
...     Judgement(2, 2, "same", "merge", side("B", "b"), side("C", "c"), "ana", t),
...     Judgement(3, 3, "not_same", "judge", side("A", "a"), side("C", "c"), "bob", t),
... ]
>>> plan = plan_judgements(js, {"a", "b", "c"})
>>> plan.contradictions[0].judgements, plan.same, plan.apart
((1, 2, 3), [], [])
"""

from __future__ import annotations

from collections import Counter, defaultdict, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from threadline.errors import JudgementError, NotFoundError
from threadline.model import Entity, Mention
from threadline.model.identity import UNDO, Judgement, JudgementSide
from threadline.model.names import core_words, fold
from threadline.model.suggest import did_you_mean

#: What became of a judgement on the latest run.
STATUSES = {
    "applied": "applied on every run",
    "noted": "unsure: recorded, changes nothing",
    "held_back": "held back: it contradicts other judgements",
    "stale": "cannot be applied: what it was made on is gone",
    "undone": "withdrawn by an undo",
    "undo": "an undo",
}


@dataclass(frozen=True)
class Contradiction:
    """Judgements that cannot all hold: a chain of "same" and one "not same".

    ``summary`` names each judgement with its two sides, user and time.
    """

    judgements: tuple[int, ...]
    summary: str

    @property
    def message(self) -> str:
        return (
            f"{self.summary}. None of them is applied until one is undone "
            f"({undo_hint(list(self.judgements))})"
        )


@dataclass
class JudgementPlan:
    """What the judgements ask of the resolver, and what became of each.

    ``same`` and ``apart`` are mention-id pairs for :func:`resolve`; ``status`` maps
    every judgement id to a key of :data:`STATUSES` and ``notes`` says more where
    there is more to say (which undo, which contradiction); ``sides`` holds the
    mentions each judgement's sides stand for today.
    """

    same: list[tuple[str, str]] = field(default_factory=list)
    apart: list[tuple[str, str]] = field(default_factory=list)
    status: dict[int, str] = field(default_factory=dict)
    notes: dict[int, str] = field(default_factory=dict)
    sides: dict[int, tuple[frozenset[str], frozenset[str]]] = field(default_factory=dict)
    contradictions: list[Contradiction] = field(default_factory=list)

    @property
    def applied(self) -> list[int]:
        return [j for j, s in self.status.items() if s == "applied"]


def undone_by(judgements: Sequence[Judgement]) -> dict[int, int]:
    """Which judgement each active undo withdraws: ``{undone_id: undo_id}``."""
    out: dict[int, int] = {}
    for j in sorted(judgements, key=lambda j: j.id, reverse=True):
        if j.verdict == UNDO and j.id not in out and j.undoes is not None:
            out.setdefault(j.undoes, j.id)
    return out


def current_side(
    side: JudgementSide, known: set[str] | frozenset[str], by_name: dict[str, set[str]]
) -> frozenset[str]:
    """The mentions a judged side stands for today.

    Its stored mention ids that still exist; when none does (the document was
    re-extracted with different spans, or retracted), the mentions carrying the
    side's name.
    """
    present = side.mentions & known
    if present:
        return frozenset(present)
    return frozenset(by_name.get(fold(side.name), set()))


def names_index(mentions: Iterable[Mention]) -> dict[str, set[str]]:
    """Mention ids by folded surface form and by folded in-document key."""
    out: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        out[fold(m.text)].add(m.id)
        if m.key:
            out[fold(m.key)].add(m.id)
    return out


def plan_judgements(
    judgements: Sequence[Judgement],
    known: set[str] | frozenset[str],
    by_name: dict[str, set[str]] | None = None,
) -> JudgementPlan:
    """Turn the judgements into mention-id constraints; find stale and contradicting ones.

    ``known`` are the mention ids that exist now and ``by_name`` the fallback
    index of :func:`names_index`. A "same" judgement must-links every mention of
    both sides (what the analyst saw merged stays merged); a "not same" one
    cannot-links every mention of one side with every mention of the other.
    """
    by_name = by_name or {}
    plan = JudgementPlan()
    undone = undone_by(judgements)
    live: list[Judgement] = []
    for j in judgements:
        if j.verdict == UNDO:
            plan.status[j.id] = "undo"
            plan.notes[j.id] = f"withdraws #{j.undoes}"
            continue
        assert j.left is not None and j.right is not None
        left = current_side(j.left, known, by_name)
        right = current_side(j.right, known, by_name)
        plan.sides[j.id] = (left, right)
        if j.id in undone:
            plan.status[j.id] = "undone"
            plan.notes[j.id] = f"by #{undone[j.id]}"
        elif not left or not right:
            gone = j.left.name if not left else j.right.name
            plan.status[j.id] = "stale"
            plan.notes[j.id] = f"no mention of '{gone}' is left"
        elif j.verdict == "not_same" and left & right:
            plan.status[j.id] = "stale"
            plan.notes[j.id] = "its two sides now share mentions"
        elif j.verdict == "unsure":
            plan.status[j.id] = "noted"
        else:
            live.append(j)
    plan.contradictions = _contradictions(live, plan.sides)
    held = {jid for c in plan.contradictions for jid in c.judgements}
    for j in live:
        left, right = plan.sides[j.id]
        if j.id in held:
            plan.status[j.id] = "held_back"
            plan.notes[j.id] = next(c.message for c in plan.contradictions if j.id in c.judgements)
            continue
        plan.status[j.id] = "applied"
        if j.verdict == "same":
            members = sorted(left | right)
            plan.same.extend((members[0], m) for m in members[1:])
        else:
            plan.apart.extend((a, b) for a in sorted(left) for b in sorted(right))
    return plan


def _contradictions(
    live: list[Judgement], sides: dict[int, tuple[frozenset[str], frozenset[str]]]
) -> list[Contradiction]:
    """Each "not same" whose two sides a chain of "same" judgements joins."""
    by_id = {j.id: j for j in live}
    graph: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for j in live:
        if j.verdict != "same":
            continue
        members = sorted(sides[j.id][0] | sides[j.id][1])
        for m in members[1:]:
            graph[members[0]].append((m, j.id))
            graph[m].append((members[0], j.id))
    out: list[Contradiction] = []
    for j in live:
        if j.verdict != "not_same":
            continue
        left, right = sides[j.id]
        chain = _same_chain(graph, left, right)
        if chain is None:
            continue
        ids = (*chain, j.id)
        lines = "; ".join(by_id[i].describe() for i in ids)
        out.append(Contradiction(ids, f"judgements contradict each other: {lines}"))
    return out


def _same_chain(
    graph: dict[str, list[tuple[str, int]]], left: frozenset[str], right: frozenset[str]
) -> list[int] | None:
    """The "same" judgements on a path from a mention of ``left`` to one of ``right``."""
    if left & right:
        return []
    parent: dict[str, tuple[str, int] | None] = {m: None for m in left}
    queue = deque(sorted(left))
    while queue:
        node = queue.popleft()
        if node in right:
            chain: list[int] = []
            step = parent[node]
            while step is not None:
                node, jid = step
                if jid not in chain:
                    chain.append(jid)
                step = parent[node]
            return sorted(chain)
        for nxt, jid in graph.get(node, []):
            if nxt not in parent:
                parent[nxt] = (node, jid)
                queue.append(nxt)
    return None


def side_of(entity: Entity) -> JudgementSide:
    """A judgement side for a whole entity: its id, its name and all its mentions."""
    return JudgementSide(entity.id, entity.name, frozenset(entity.mentions))


def find_entity(entities: Sequence[Entity], ref: str) -> Entity:
    """The entity ``ref`` names: an id, a unique id prefix, or an exact name.

    Names compare case- and accent-insensitively, the canonical name first, then
    every other name and alias. Raises :class:`NotFoundError` naming the
    candidates when ``ref`` matches none or several.
    """
    ref = ref.strip()
    for e in entities:
        if e.id == ref:
            return e
    tries: list[list[Entity]] = [
        [e for e in entities if e.id.startswith(ref)] if len(ref) >= 3 else [],
        [e for e in entities if fold(e.name) == fold(ref)],
        [e for e in entities if fold(ref) in {fold(n) for n in (*e.names, *e.aliases)}],
    ]
    for found in tries:
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            listed = ", ".join(f"{e.id} ({e.name})" for e in found[:6])
            raise NotFoundError(
                f"entity '{ref}' is ambiguous: it matches {len(found)} entities ({listed}); "
                "pass an id"
            )
    hint = did_you_mean(ref, (n for e in entities for n in (e.name, *e.names, *e.aliases)))
    raise NotFoundError(
        f"entity '{ref}' matches no entity id, id prefix or name{hint}; the JSON export "
        "('threadline export') lists every entity with its id"
    )


def split_sides(
    entity: Entity,
    mentions: dict[str, Mention],
    *,
    names: Sequence[Sequence[str]] = (),
    mention_groups: Sequence[Sequence[str]] = (),
    documents: Sequence[Sequence[str]] = (),
) -> list[JudgementSide]:
    """The parts of ``entity`` an analyst asks to split, as judgement sides.

    Give exactly one form: parts by ``names`` (a mention goes with the part that
    lists its text, else its in-document full name), by mention ids, or by
    document ids (or unique prefixes). One part given means "these, and the rest".
    """
    forms = [f for f in (names, mention_groups, documents) if f]
    if len(forms) != 1:
        raise JudgementError("give the parts of a split one way: by names, mentions or documents")
    own = [mentions[m] for m in entity.mentions if m in mentions]
    groups: list[set[str]] = []
    if names:
        groups = _parts_by_name(entity, own, names)
    elif mention_groups:
        for part in mention_groups:
            stray = [m for m in part if m not in entity.mentions]
            if stray:
                raise JudgementError(
                    f"mention(s) {', '.join(stray)} are not mentions of '{entity.name}' "
                    f"({entity.id})"
                )
            groups.append(set(part))
    else:
        docs = sorted({m.document for m in own})
        for part in documents:
            chosen: set[str] = set()
            for ref in part:
                hits = [d for d in docs if d == ref or d.startswith(ref)]
                if len(hits) != 1:
                    raise JudgementError(
                        f"document '{ref}' matches {len(hits)} of the documents naming "
                        f"'{entity.name}' ({', '.join(docs)})"
                    )
                chosen.add(hits[0])
            groups.append({m.id for m in own if m.document in chosen})
    if len(groups) == 1:
        groups.append(set(entity.mentions) - groups[0])
    seen: set[str] = set()
    for i, g in enumerate(groups):
        if not g:
            raise JudgementError(
                f"part {i + 1} of the split of '{entity.name}' holds no mention; "
                "every part needs at least one"
            )
        if g & seen:
            raise JudgementError(f"the parts of the split of '{entity.name}' overlap")
        seen |= g
    labels = [list(p) for p in names] if names else [[] for _ in groups]
    while len(labels) < len(groups):
        labels.append([])
    return [
        JudgementSide(entity.id, label[0] if label else _part_name(g, mentions), frozenset(g))
        for g, label in zip(groups, labels, strict=True)
    ]


def _parts_by_name(
    entity: Entity, own: list[Mention], names: Sequence[Sequence[str]]
) -> list[set[str]]:
    wanted = [{fold(n) for n in part if n.strip()} for part in names]
    groups: list[set[str]] = [set() for _ in wanted]
    for m in own:
        hits = [i for i, w in enumerate(wanted) if fold(m.text) in w]
        if not hits:
            hits = [i for i, w in enumerate(wanted) if fold(m.key) in w]
        if len(hits) == 1:
            groups[hits[0]].add(m.id)
    matched = {fold(m.text) for m in own} | {fold(m.key) for m in own}
    for part in names:
        for n in part:
            if n.strip() and fold(n) not in matched:
                raise JudgementError(
                    f"'{n}' is not a name of '{entity.name}' ({entity.id}); its names are: "
                    f"{', '.join([*entity.names, *entity.aliases])}"
                )
    return groups


def _part_name(ids: set[str], mentions: dict[str, Mention]) -> str:
    """The fullest, most used form among a part's mentions."""
    forms = Counter(mentions[m].text for m in ids if m in mentions)
    if not forms:
        return "?"
    return max(forms, key=lambda n: (len(core_words(n)) >= 2, forms[n], len(n), n))


def undo_hint(ids: list[int]) -> str:
    """The commands that would withdraw ``ids``."""
    return " or ".join(f"threadline undo {i}" for i in ids)
