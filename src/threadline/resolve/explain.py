"""Why these names are one entity: the rules and the evidence behind each merge.

The resolver keeps every union its rules asked for (:class:`MergeStep`): those
that joined two clusters, those that only corroborate (the mentions were one
already), and those held back. :func:`explain_entity` replays an entity's steps,
automatic rules first and analyst judgements last, so a judgement is shown as
the reason only where no rule connects the names, and groups them by rule and
pair of names, each with its evidence: the alias sentence for a declared alias,
the two names' spans otherwise, the judgement (who, when, why) for a judgement,
and how the two names compare (``name_evidence``: the parts matched and how, what
counted against; :func:`~threadline.resolve.names.compare_names`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from threadline.model import Assertion, Entity, Evidence, Mention
from threadline.model.identity import MERGE_RULES, Judgement, MergeStep, decided_by, rule_text
from threadline.resolve.judgements import find_entity, history_rows, plan_for_workspace
from threadline.resolve.names import compare_names
from threadline.resolve.org_names import compare_org_names
from threadline.store import Workspace
from threadline.store.judgements import load_judgements, load_merge_steps

#: Most evidence items kept per link (the count says how many steps there were).
MAX_EVIDENCE = 6


@dataclass
class MergeLink:
    """One rule joining (or corroborating) two names of an entity."""

    rule: str
    names: tuple[str, str]
    joins: bool
    count: int = 0
    documents: list[str] = field(default_factory=list)
    detail: str = ""
    evidence: list[Evidence] = field(default_factory=list)
    judgements: list[dict[str, Any]] = field(default_factory=list)
    name_evidence: str = ""  # how the two names compare (parts matched, what counts against)

    @property
    def decided_by(self) -> str:
        """Who made this merge: the analysts of its judgements, or the rule; never an
        analyst where no judgement is recorded."""
        if self.rule == "judgement":
            users = sorted({str(j["user"]) for j in self.judgements})
            if users:
                return "analyst " + ", ".join(users)
            return "no recorded judgement (an analyst's merge whose record is gone)"
        return decided_by(self.rule)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "rule_text": rule_text(self.rule),
            "decided_by": self.decided_by,
            "names": list(self.names),
            "role": "joins" if self.joins else "corroborates",
            "count": self.count,
            "documents": self.documents,
            "detail": self.detail,
            "evidence": [ev.to_dict() for ev in self.evidence],
            **({"judgements": self.judgements} if self.judgements else {}),
            **({"name_evidence": self.name_evidence} if self.name_evidence else {}),
        }


@dataclass
class EntityExplanation:
    """An entity with the links that make it one, and the pairs held apart from it."""

    entity: Entity
    documents: list[str]
    links: list[MergeLink]
    held_apart: list[dict[str, Any]]
    judgements: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        e = self.entity
        return {
            "entity": {
                "id": e.id,
                "schema": e.schema,
                "name": e.name,
                "names": e.names,
                "aliases": e.aliases,
                "mentions": len(e.mentions),
                "documents": self.documents,
            },
            "links": [link.to_dict() for link in self.links],
            "held_apart": self.held_apart,
            "judgements": self.judgements,
        }


def explain_entity(
    entity: Entity,
    steps: Sequence[MergeStep],
    mentions: dict[str, Mention],
    assertions: Sequence[Assertion],
    texts: dict[str, str],
    entity_of: dict[str, Entity],
    judged: Sequence[tuple[Judgement, frozenset[str]]] = (),
) -> EntityExplanation:
    """Explain ``entity`` from the resolver's ``steps`` (pure: all inputs given).

    A link ``joins`` when, replaying the steps (rules first, judgements last), it
    connected names no earlier step had; otherwise it corroborates.

    ``texts`` are document texts by id (for quotes), ``entity_of`` maps mention ids
    to today's entities, ``judged`` pairs each applied "same" judgement with the
    mentions it joins.
    """
    own = set(entity.mentions)
    aliases = {(a.a, a.b): a for a in assertions if a.kind == "alias" and a.b}
    inside = [s for s in steps if s.a in own and s.b in own and s.outcome != "held"]
    # automatic rules first, in the resolver's order; judgements last
    order = [s for s in inside if s.rule != "judgement"] + [
        s for s in inside if s.rule == "judgement"
    ]
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    links: dict[tuple[str, tuple[str, str]], MergeLink] = {}
    for s in order:
        ma, mb = mentions.get(s.a), mentions.get(s.b)
        if ma is None or mb is None:
            continue
        ra, rb = find(s.a), find(s.b)
        joins = ra != rb
        if joins:
            parent[max(ra, rb)] = min(ra, rb)
        names = tuple(sorted((ma.text, mb.text)))
        key = (s.rule, (names[0], names[1]))
        link = links.get(key)
        if link is None:
            link = links[key] = MergeLink(
                s.rule,
                (names[0], names[1]),
                joins,
                detail=s.detail,
                name_evidence=name_evidence(entity.schema, names[0], names[1]),
            )
        link.joins = link.joins or joins
        link.count += 1
        for d in (ma.document, mb.document):
            if d not in link.documents:
                link.documents.append(d)
        for ev in _step_evidence(s, ma, mb, aliases, texts):
            if len(link.evidence) < MAX_EVIDENCE and ev not in link.evidence:
                link.evidence.append(ev)
        if s.rule == "judgement":
            for j, members in judged:
                if s.a in members and s.b in members:
                    info = _judgement_info(j)
                    if info not in link.judgements:
                        link.judgements.append(info)
    rank = {r: i for i, r in enumerate(MERGE_RULES)}
    ordered = sorted(
        # a judgement that only corroborates says nothing the rules did not
        (lk for lk in links.values() if lk.joins or lk.rule != "judgement"),
        key=lambda lk: (not lk.joins, lk.names[0] == lk.names[1], rank.get(lk.rule, 99)),
    )
    held: dict[tuple[str, str, str], dict[str, Any]] = {}
    for s in steps:
        if s.outcome != "held" or (s.a in own) == (s.b in own):
            continue
        mine, theirs = (s.a, s.b) if s.a in own else (s.b, s.a)
        other = entity_of.get(theirs)
        if other is None:
            continue
        hkey = (other.id, s.rule, s.why)
        if hkey not in held:
            held[hkey] = {
                "other": {"id": other.id, "name": other.name},
                "rule": s.rule,
                "rule_text": rule_text(s.rule),
                "why": s.why,
                "names": [
                    mentions[mine].text if mine in mentions else mine,
                    mentions[theirs].text if theirs in mentions else theirs,
                ],
                "name_evidence": name_evidence(
                    entity.schema,
                    mentions[mine].text if mine in mentions else mine,
                    mentions[theirs].text if theirs in mentions else theirs,
                ),
                "evidence": [
                    ev.to_dict()
                    for ev in _step_evidence(
                        s, mentions.get(s.a), mentions.get(s.b), aliases, texts
                    )
                ][:MAX_EVIDENCE],
            }
    documents = sorted({mentions[m].document for m in own if m in mentions})
    return EntityExplanation(entity, documents, ordered, list(held.values()))


def name_evidence(schema: str, a: str, b: str) -> str:
    """How two names of an entity compare, in words (empty for one name twice)."""
    if a == b:
        return ""
    if schema == "Person":
        return compare_names(a, b).explanation
    if schema == "Organization":
        score, why = compare_org_names(a, b)
        return f"{score:.2f}: {why}"
    return ""


def _step_evidence(
    step: MergeStep,
    ma: Mention | None,
    mb: Mention | None,
    aliases: dict[tuple[str, str], Assertion],
    texts: dict[str, str],
) -> list[Evidence]:
    if step.rule == "declared_alias":
        found = aliases.get((step.a, step.b)) or aliases.get((step.b, step.a))
        if found is not None:
            return [found.evidence]
    out = []
    for m in (ma, mb):
        if m is not None and m.document in texts:
            out.append(m.evidence(texts[m.document]))
    return out


def _judgement_info(j: Judgement) -> dict[str, Any]:
    return {
        "id": j.id,
        "user": j.user,
        "created_at": j.created_at.isoformat() + "Z",
        "reason": j.reason,
        "sides": [j.left.name if j.left else "", j.right.name if j.right else ""],
    }


def explain(ws: Workspace, ref: str) -> EntityExplanation:
    """Explain the entity ``ref`` (id, unique id prefix or exact name) of the workspace."""
    entities = ws.entities()
    entity = find_entity(entities, ref)
    mentions = {m.id: m for m in ws.mentions()}
    texts = {d.id: d.text for d in ws.documents()}
    entity_of = {m: e for e in entities for m in e.mentions}
    plan = plan_for_workspace(ws, list(mentions.values()))
    judged = [
        (j, plan.sides[j.id][0] | plan.sides[j.id][1])
        for j in load_judgements(ws)
        if j.verdict == "same" and plan.status.get(j.id) == "applied"
    ]
    out = explain_entity(
        entity, load_merge_steps(ws), mentions, ws.assertions(), texts, entity_of, judged
    )
    own = set(entity.mentions)
    touching = []
    for row in history_rows(ws, entities):
        sides = [row[k] for k in ("left", "right") if k in row]
        now = {h["id"] for s in sides for h in s["now"]}
        if entity.id in now or any(set(s["mentions"]) & own for s in sides):
            touching.append(row)
    out.judgements = touching
    return out


def explanation_lines(
    expl: EntityExplanation, doc_labels: dict[str, str] | None = None
) -> list[str]:
    """The explanation as plain text lines for the terminal (documents by ``doc_labels``)."""
    labels = doc_labels or {}
    e = expl.entity
    lines = [
        f"{e.name} ({e.id}, {e.schema}): {len(e.mentions)} mentions in "
        f"{len(expl.documents)} document(s)",
        f"  names: {', '.join(e.names)}",
    ]
    if e.aliases:
        lines.append(f"  aliases: {', '.join(e.aliases)}")
    joins = [lk for lk in expl.links if lk.joins]
    more = [lk for lk in expl.links if not lk.joins]
    if not joins:
        lines.append("  one mention, or mentions of one name in one place: nothing was merged")
    for title, group in (("joined by", joins), ("also supported by", more)):
        if not group:
            continue
        lines.append(f"  {title}:")
        for lk in group:
            names = (
                f"'{lk.names[0]}'"
                if lk.names[0] == lk.names[1]
                else f"'{lk.names[0]}' + '{lk.names[1]}'"
            )
            lines.append(
                f"    - {rule_text(lk.rule)} [{lk.rule}]: {names}"
                f" ({lk.count}x in {', '.join(labels.get(d, d) for d in lk.documents)})"
            )
            lines.append(f"        decided by {lk.decided_by}")
            if lk.detail and lk.rule in ("record_link", "shared_document", "record_name"):
                lines.append(f"        evidence: {lk.detail}")
            if lk.name_evidence:
                lines.append(f"        names: {lk.name_evidence}")
            for j in lk.judgements:
                why = f": {j['reason']}" if j["reason"] else ""
                lines.append(f"        judgement #{j['id']} by {j['user']}, {j['created_at']}{why}")
            if lk.rule == "declared_alias":
                for ev in lk.evidence[:2]:
                    where = f"{labels.get(ev.document, ev.document)} {ev.start}-{ev.end}"
                    lines.append(f'        "{ev.quote}" ({where})')
    for h in expl.held_apart:
        lines.append(
            f"  kept apart from '{h['other']['name']}' ({h['other']['id']}): "
            f"{h['rule_text']} would join '{h['names'][0]}' and '{h['names'][1]}', "
            f"but {h['why']}"
        )
        if h.get("name_evidence"):
            lines.append(f"        names: {h['name_evidence']}")
    for j in expl.judgements:
        left = j.get("left", {}).get("name", "")
        right = j.get("right", {}).get("name", "")
        verdict = j["verdict"].replace("_", " ")
        what = (
            f"undo of #{j['undoes']}" if j["verdict"] == "undo" else f"{left} / {right}: {verdict}"
        )
        lines.append(
            f"  judgement #{j['id']} ({j['status']}) {what}, by {j['user']} {j['created_at']}"
        )
    return lines


def steps_by_mention(steps: Sequence[MergeStep]) -> dict[str, list[MergeStep]]:
    """Steps indexed by each mention they touch (for proposals and the workbench)."""
    out: dict[str, list[MergeStep]] = defaultdict(list)
    for s in steps:
        out[s.a].append(s)
        out[s.b].append(s)
    return out
