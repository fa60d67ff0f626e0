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

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from threadline.model.names import fold

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


def workspace_names(ws: Any) -> set[str]:
    """Every name a workspace (a user's view) shows: the texts and keys of its mentions,
    and its entities' names and aliases."""
    out: set[str] = set()
    for text, key in ws.con.execute("SELECT text, key FROM mentions").fetchall():
        for value in (text, key):
            k = name_key(value or "")
            if k:
                out.add(k)
    for name, names, aliases in ws.con.execute(
        "SELECT name, names, aliases FROM entities"
    ).fetchall():
        for value in [name, *json.loads(names or "[]"), *json.loads(aliases or "[]")]:
            k = name_key(value or "")
            if k:
                out.add(k)
    return out


@dataclass(frozen=True)
class Basis:
    """What one piece of work names: entity ids and name keys."""

    entities: frozenset[str]
    names: frozenset[str]

    def visible(self, entities: set[str] | frozenset[str], names: set[str]) -> bool:
        return self.entities <= entities and self.names <= names


def record_basis(
    ws: Any, kind: str, ident: str | int, *, entities: Iterable[str], names: Iterable[str]
) -> None:
    """Store what a piece of work names (called where it is written)."""
    ws.con.execute(
        "INSERT INTO work_basis (kind, id, entities, names) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (kind, id) DO UPDATE SET entities = excluded.entities, "
        "names = excluded.names",
        [kind, str(ident), json.dumps(sorted(set(entities))), json.dumps(sorted(set(names)))],
    )


def bases(ws: Any, kind: str) -> dict[str, Basis]:
    """What each piece of work of ``kind`` names (work written before the rule has none)."""
    rows = ws.con.execute(
        "SELECT id, entities, names FROM work_basis WHERE kind = ?", [kind]
    ).fetchall()
    return {
        str(r[0]): Basis(frozenset(json.loads(r[1])), frozenset(json.loads(r[2]))) for r in rows
    }


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


def filter_view_work(view: Any, home: Any) -> None:
    """Drop from a freshly resolved view the notes and asserted ties that name an entity,
    a tie or a name the view does not hold (the rule above). ``home`` is the shared
    workspace (it holds what each piece of work names)."""
    entities = {str(r[0]) for r in view.con.execute("SELECT id FROM entities").fetchall()}
    ties = {str(r[0]) for r in view.con.execute("SELECT id FROM ties").fetchall()}
    names = workspace_names(view)
    noted = bases(home, "note")
    gone = [
        str(r[0])
        for r in view.con.execute("SELECT id, target_kind, target FROM analyst_notes").fetchall()
        if not note_visible(str(r[0]), str(r[1]), str(r[2]), noted, entities, ties, names)
    ]
    asserted = bases(home, "asserted_tie")
    ties_gone = [
        str(r[0])
        for r in view.con.execute("SELECT id, source, target FROM analyst_ties").fetchall()
        if not (
            str(r[1]) in entities
            and str(r[2]) in entities
            and asserted.get(str(r[0]), _NONE).visible(entities, names)
        )
    ]
    with view.transaction():
        for table, ids in (("analyst_notes", gone), ("analyst_ties", ties_gone)):
            for i in ids:
                view.con.execute(f"DELETE FROM {table} WHERE id = ?", [i])


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


def keep_notes(view: Any, home: Any, rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The rows of ``rows`` (analyst notes) that the view ``view`` may show."""
    entities = {str(r[0]) for r in view.con.execute("SELECT id FROM entities").fetchall()}
    ties = {str(r[0]) for r in view.con.execute("SELECT id FROM ties").fetchall()}
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
