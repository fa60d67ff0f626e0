"""One rule for everything derived: shown only to users who see all it names.

A note, an asserted tie, a judgement, a watch, an alert, an audit record or an
export line is derived from the evidence. It is visible to a user only if every
entity, mention, name and document it names is visible to that user; otherwise
it is *absent* (not redacted in place, which would confirm that something is
there). Which agency owns a piece of work decides who may edit it, never who
may see it (the agencies whose work a user sees at all still follow the sharing
agreements: :func:`threadline.security.classification.judgement_sources`).

What a piece of work names is fixed when it is written, from what its writer
sees (:func:`record_basis`): the entities it is about, and the names of their
view that its free text (a note, a statement, a reason) contains. So a writer
never learns anything from the rule (their own work always names only what they
see), and a reader sees it only if their view holds every one of those entities
and names. Judgements and watches name mentions, so the documents of those
mentions decide; an alert follows its watch (watcher side) or the documents
that matched (holder side).

>>> named("Tarik met Nadia Kerrou in Vremmingen", {"nadia kerrou", "tarik", "omar"})
['nadia kerrou', 'tarik']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from threadline.model.names import fold
from threadline.store import Workspace
from threadline.store import derived as store
from threadline.store.lookups import entity_ids, tie_ids

#: The longest name, in words, looked for in free text.
MAX_NAME_WORDS = 8
_WORD = re.compile(r"\w+")


def name_key(text: str) -> str:
    """A name as the rule compares it: folded, its words joined by one space."""
    return " ".join(_WORD.findall(fold(text or "")))


def named(text: str, known: set[str] | frozenset[str]) -> list[str]:
    """The names of ``known`` (keys of :func:`name_key`) that ``text`` contains as whole words."""
    words = _WORD.findall(fold(text or ""))
    found = set()
    for i in range(len(words)):
        for n in range(1, min(MAX_NAME_WORDS, len(words) - i) + 1):
            key = " ".join(words[i : i + n])
            if key in known:
                found.add(key)
    return sorted(found)


def workspace_names(ws: Workspace) -> set[str]:
    """Every name a workspace (a user's view) shows: the texts and keys of its mentions,
    and its entities' names and aliases."""
    return {k for k in map(name_key, store.shown_names(ws)) if k}


@dataclass(frozen=True)
class Basis:
    """What one piece of work names: entity ids and name keys."""

    entities: frozenset[str]
    names: frozenset[str]

    def visible(self, entities: set[str] | frozenset[str], names: set[str]) -> bool:
        return self.entities <= entities and self.names <= names


def record_basis(
    ws: Workspace, kind: str, ident: str | int, *, entities: Iterable[str], names: Iterable[str]
) -> None:
    """Store what a piece of work names (called where it is written)."""
    store.set_basis(ws, kind, ident, entities=entities, names=names)


def bases(ws: Workspace, kind: str) -> dict[str, Basis]:
    """What each piece of work of ``kind`` names (work written before the rule has none)."""
    return {i: Basis(entities, names) for i, (entities, names) in store.bases(ws, kind).items()}


def basis_of_text(known: set[str], *texts: str | None) -> list[str]:
    """The names of ``known`` that any of ``texts`` contains."""
    found: set[str] = set()
    for t in texts:
        if t:
            found.update(named(t, known))
    return sorted(found)


def mentions_visible(
    mentions: Iterable[str], doc_of: dict[str, str], documents: frozenset[str] | set[str]
) -> bool:
    """Whether every mention lies in a visible document (an unknown mention is not visible)."""
    return all(doc_of.get(m) in documents for m in mentions)


# -- analyst work in a view ---------------------------------------------------------------


def filter_view_work(view: Workspace, home: Workspace) -> None:
    """Drop from a freshly resolved view the notes and asserted ties that name an entity,
    a tie or a name the view does not hold (the rule above). ``home`` is the shared
    workspace (it holds what each piece of work names)."""
    entities = entity_ids(view)
    ties = tie_ids(view)
    names = workspace_names(view)
    noted = bases(home, "note")
    gone = [
        ident
        for ident, kind, target in store.note_targets(view)
        if not note_visible(ident, kind, target, noted, entities, ties, names)
    ]
    asserted = bases(home, "asserted_tie")
    ties_gone = [
        ident
        for ident, source, target in store.asserted_tie_ends(view)
        if not (
            source in entities
            and target in entities
            and asserted.get(ident, _NONE).visible(entities, names)
        )
    ]
    store.drop_view_work(view, notes=gone, ties=ties_gone)


_NONE = Basis(frozenset(), frozenset())


def note_visible(
    ident: str,
    kind: str,
    target: str,
    noted: dict[str, Basis],
    entities: set[str],
    ties: set[str],
    names: set[str],
) -> bool:
    if kind == "entity" and target not in entities:
        return False
    if kind == "tie" and target not in ties:
        return False
    return noted.get(ident, _NONE).visible(entities, names)


def keep_notes(
    view: Workspace, home: Workspace, rows: list[tuple[Any, ...]]
) -> list[tuple[Any, ...]]:
    """The rows of ``rows`` (analyst notes) that the view ``view`` may show."""
    entities = entity_ids(view)
    ties = tie_ids(view)
    names = workspace_names(view)
    noted = bases(home, "note")
    return [r for r in rows if note_visible(str(r[0]), str(r[1]), str(r[2]), noted, entities,
                                            ties, names)]  # fmt: skip


# -- the audit log --------------------------------------------------------------------------


@dataclass(frozen=True)
class Sight:
    """What one reader sees, against everything the workspace holds: documents, entity and
    tie ids, and names (keys of :func:`name_key`)."""

    all_documents: frozenset[str]
    documents: frozenset[str]
    all_ids: frozenset[str]
    ids: frozenset[str]
    all_names: frozenset[str]
    names: frozenset[str]


def _strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _strings(k)
            yield from _strings(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)


def names_visible(text: str, sight: Sight) -> bool:
    """Whether every name of the workspace that ``text`` contains is one the reader sees."""
    return set(named(text, sight.all_names)) <= sight.names


def audit_visible(item: dict[str, Any], reader: str, sight: Sight) -> bool:
    """The derived-work rule for one audit record (of the reader's agency): the reader's own
    records always; another's only when every document, entity or tie id and every name
    of the workspace in its target and details is one the reader sees."""
    if item.get("actor") == reader:
        return True
    for s in _strings([item.get("target"), item.get("detail")]):
        if s in sight.all_documents:
            if s not in sight.documents:
                return False
        elif s in sight.all_ids:
            if s not in sight.ids:
                return False
        elif not names_visible(s, sight):
            return False
    return True
