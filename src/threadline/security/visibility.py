"""The workspace one user sees: built only from the evidence they may see.

:func:`copy_view` copies into a private embedded workspace the sources the user
may see (documents and record files, with what was extracted from them), the
analyst work of the agencies whose work they see (judgements, notes, asserted
ties, grades), and public watchlists; then the orchestrator
(``threadline.pipeline.views.build_view``) derives everything else *there*,
from that evidence alone: the resolver clusters the visible mentions into
entities (with the visible judgements only), lifts the visible assertions to
ties, screens the watchlists, and the analysis computes the measures and cells
on the visible network. So an entity, a name, an alias, a tie, a claim, a
measure, a path or a cell that rests only on hidden evidence does not exist in
the view, and two names joined only by a hidden source stay two entities: the
view is a function of the visible data alone. Searches, exports and reports run
on the view unchanged, so they are filtered the same way.

A network that the resolver did not build (imported entities and ties, or the
synthetic benchmark) is filtered instead: an entity stays when a visible mention
or a visible tie names it, with the names seen in visible sources; a tie keeps its
visible evidence (:func:`filter_network`); measures are computed again on the visible
ties. Every statement against a workspace is in :mod:`threadline.store` (the view's
own in :mod:`threadline.store.views`).
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from threadline.model import Entity, Tie
from threadline.model.names import fold
from threadline.security import Principal
from threadline.security.classification import judgement_sources, visible_documents
from threadline.security.derived import bases, mentions_visible, workspace_names
from threadline.store import Workspace
from threadline.store.access import owning_agencies
from threadline.store.lookups import document_ids, mention_texts
from threadline.store.views import (
    ViewStore,
    column_position,
    correction_documents,
    has_rows,
    judgement_sides,
    mention_documents,
    open_view,
    owners,
    put_rows,
    record_ids,
    replace_notes,
    set_owner,
    table_rows,
    tie_ends,
)

__all__ = [
    "FULL_MEASURES_TIES",
    "Scope",
    "ViewStore",
    "copy_view",
    "degree_only",
    "filter_network",
    "owners",
    "public_source",
    "replace_notes",
    "resolver_built",
    "scope_of",
    "sees_everything",
    "scratch_root",
    "set_owner",
    "visible_judgements",
    "visible_notes",
]

#: Above this many visible ties the filtered view computes degree only (no cells).
FULL_MEASURES_TIES = 200_000


@dataclass(frozen=True)
class Scope:
    """What one view shows: the visible documents and the agencies whose analyst work
    (judgements, notes, asserted ties, grades) it applies."""

    documents: frozenset[str]
    agencies: frozenset[str]

    def key(self) -> tuple[frozenset[str], frozenset[str]]:
        return (self.documents, self.agencies)


def scope_of(ws: Workspace, who: Principal, default_agency: str) -> Scope:
    """What ``who`` sees of ``ws``: the documents their clearance and the shares let them
    see, and the agencies whose analyst work they are shown (the API's views and the
    command line's checks ask this one function)."""
    docs = visible_documents(ws, who)
    agencies = judgement_sources(ws, who)
    owners = owning_agencies(ws) | {default_agency}
    return Scope(
        documents=frozenset(document_ids(ws)) if docs is None else docs,
        agencies=frozenset(owners) if agencies is None else agencies,
    )


def sees_everything(ws: Workspace, scope: Scope, default_agency: str) -> bool:
    """Whether ``scope`` sees every source and all analyst work (no view is needed)."""
    owners = owning_agencies(ws) | {default_agency}
    return scope.documents >= frozenset(document_ids(ws)) and scope.agencies >= owners


def public_source(source: str | None) -> str | None:
    """What a user is told of where a source came from: a web address as it is, a file
    only by its name (a folder of the machine that ingested it is nobody's business)."""
    if not source or "://" in source:
        return source
    return source.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or source


def copy_view(ws: Workspace, scope: Scope, root: Path, *, default_agency: str) -> ViewStore:
    """A new embedded workspace at ``root`` holding what ``scope`` may see of ``ws``: the
    visible sources with what was extracted from them, the analyst work of the agencies
    in scope, the watchlists. Nothing derived yet (see
    ``threadline.pipeline.views.build_view``). Reads ``ws`` only."""
    docs = scope.documents
    view = open_view(root)
    try:
        with view.transaction():
            source = column_position(ws, "documents", "source")
            for table in ("documents", "mentions", "assertions", "claims", "extracted", "records"):
                column = column_position(ws, table, "id" if table == "documents" else "document")
                kept = [r for r in table_rows(ws, table) if r[column] in docs]
                if table == "documents":
                    kept = [(*r[:source], public_source(r[source]), *r[source + 1 :]) for r in kept]
                put_rows(view, table, kept)
            records = record_ids(view)
            put_rows(
                view,
                "record_links",
                [r for r in table_rows(ws, "record_links") if r[0] in records and r[1] in records],
            )
            _copy_work(ws, view, scope, default_agency)
            for table in ("watchlists", "watchlist_entries"):
                put_rows(view, table, table_rows(ws, table))
    except BaseException:
        view.close()
        raise
    return view


def resolver_built(ws: Workspace) -> bool:
    """Whether the resolver built ``ws``'s network (a view then resolves its own);
    otherwise it was imported and a view filters it (:func:`filter_network`)."""
    return has_rows(ws, "merge_steps") or has_rows(ws, "assertions")


def visible_judgements(
    ws: Workspace, view: Workspace, scope: Scope, default_agency: str
) -> list[tuple[Any, ...]]:
    """The judgements a view applies: of the agencies in scope, and naming only mentions of
    visible documents and names the view holds (:mod:`threadline.security.derived`); an
    undo only when the judgement it withdraws is kept."""
    judged = owners(ws, "judgement", default_agency)
    doc_of = mention_documents(ws)
    sides = judgement_sides(ws)
    reasons = bases(ws, "judgement")
    names = workspace_names(view) if reasons else set()
    verdict = column_position(ws, "judgements", "verdict")
    undoes = column_position(ws, "judgements", "undoes")
    kept: list[tuple[Any, ...]] = []
    ids: set[int] = set()
    for r in table_rows(ws, "judgements", order="id"):
        jid = int(r[0])
        if judged[str(jid)] not in scope.agencies:
            continue
        if r[verdict] == "undo":
            ok = r[undoes] is not None and int(r[undoes]) in ids
        else:
            ok = bool(sides[jid])
        ok = ok and mentions_visible(sides[jid], doc_of, scope.documents)
        basis = reasons.get(str(jid))
        if ok and (basis is None or basis.names <= names):
            kept.append(r)
            ids.add(jid)
    return kept


def _copy_work(ws: Workspace, view: Workspace, scope: Scope, default_agency: str) -> None:
    """Judgements, notes, asserted ties and grades of the agencies in scope (the notes and
    asserted ties are cut to what the view holds once it is resolved: :func:`build_view`)."""
    kept = visible_judgements(ws, view, scope, default_agency)
    put_rows(view, "judgements", kept)
    ids = {r[0] for r in kept}
    put_rows(
        view,
        "judgement_mentions",
        [r for r in table_rows(ws, "judgement_mentions") if r[0] in ids],
    )
    _copy_corrections(ws, view, scope, default_agency)
    put_rows(view, "analyst_notes", visible_notes(ws, scope, default_agency))
    asserted = owners(ws, "asserted_tie", default_agency)
    put_rows(
        view,
        "analyst_ties",
        [r for r in table_rows(ws, "analyst_ties") if asserted[str(r[0])] in scope.agencies],
    )
    graded = owners(ws, "grade", default_agency)
    put_rows(
        view,
        "source_grades",
        [
            r
            for r in table_rows(ws, "source_grades")
            if graded[str(r[0])] in scope.agencies
            and (r[2] != "document" or r[1] in scope.documents)
        ],
    )  # fmt: skip


def _copy_corrections(ws: Workspace, view: Workspace, scope: Scope, default_agency: str) -> None:
    """The corrections (issue 18) of the agencies in scope whose text spans lie wholly in
    visible documents; an undo only when the correction it withdraws is kept. The view's
    resolve stage applies them to the visible mentions and statements."""
    if not ws.has_table("corrections") or not view.has_table("corrections"):
        return
    owned = owners(ws, "correction", default_agency)
    docs = correction_documents(ws)
    kind, undoes = (
        column_position(ws, "corrections", "kind"),
        column_position(ws, "corrections", "undoes"),
    )
    kept: list[tuple[Any, ...]] = []
    ids: set[int] = set()
    for r in table_rows(ws, "corrections", order="id"):
        cid = int(r[0])
        if owned[str(cid)] not in scope.agencies:
            continue
        if r[kind] == "undo":
            ok = r[undoes] is not None and int(r[undoes]) in ids
        else:
            ok = bool(docs[cid]) and docs[cid] <= scope.documents
        if ok:
            kept.append(r)
            ids.add(cid)
    put_rows(view, "corrections", kept)
    put_rows(
        view, "correction_spans", [r for r in table_rows(ws, "correction_spans") if r[0] in ids]
    )


def visible_notes(ws: Workspace, scope: Scope, default_agency: str) -> list[tuple[Any, ...]]:
    """The rows of the analyst notes of the agencies in ``scope`` (retracted ones too)."""
    noted = owners(ws, "note", default_agency)
    return [r for r in table_rows(ws, "analyst_notes") if noted[str(r[0])] in scope.agencies]


def filter_network(ws: Workspace, view: Workspace, docs: frozenset[str]) -> None:
    """Entities and ties of a network the resolver did not build, cut to the visible evidence."""
    doc_of = mention_documents(view)
    texts = defaultdict(set)
    for mid, text in mention_texts(view):
        texts[mid].add(fold(text or ""))
    ties: list[Tie] = []
    quoted: dict[str, list[str]] = defaultdict(list)
    for tie in ws.ties():
        evidence = [ev for ev in tie.evidence if ev.document in docs]
        if not evidence:
            continue
        ties.append(replace(tie, evidence=evidence))
        for ev in evidence:
            quoted[tie.source].append(ev.quote)
            quoted[tie.target].append(ev.quote)
    entities = []
    for e in ws.entities():
        mine = [m for m in e.mentions if m in doc_of]
        if not mine and e.id not in quoted:
            continue
        seen = set().union(*(texts[m] for m in mine)) if mine else set()
        quotes = " ".join(fold(q) for q in quoted.get(e.id, []))

        def shown(values: Iterable[str], seen: set[str] = seen, quotes: str = quotes) -> list[str]:
            return [v for v in values if fold(v) in seen or (fold(v) and fold(v) in quotes)]

        names, aliases = shown(e.names), shown(e.aliases)
        name = e.name if e.name in names else (names or aliases or [""])[0]
        if not name:
            continue
        entities.append(Entity(e.id, e.schema, name, names or [name], aliases, mine, e.roles))
    kept = {e.id for e in entities}
    with view.transaction():
        view.replace_resolution(
            entities, [t for t in ties if t.source in kept and t.target in kept]
        )


def degree_only(view: Workspace) -> None:
    """The degree of each entity of the view's network, as its only measure (a view of
    more than :data:`FULL_MEASURES_TIES` ties, where the full analysis would take long)."""
    degree: dict[str, set[str]] = defaultdict(set)
    for s, t in tie_ends(view):
        degree[s].add(t)
        degree[t].add(s)
    with view.transaction():
        view.replace_metrics({e: {"degree": float(len(n))} for e, n in degree.items()})


def scratch_root(base: str | os.PathLike[str] | None, name: str) -> Path:
    """A folder for one view under ``base`` (default: the system's temporary folder)."""
    # the standard library's temporary folders: only when a view is built
    import tempfile

    return Path(tempfile.mkdtemp(prefix=f"threadline-view-{name}-", dir=base))
