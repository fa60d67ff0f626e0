"""The workspace one user sees: built only from the evidence they may see.

:func:`build_view` copies into a private embedded workspace the sources the user
may see (documents and record files, with what was extracted from them), the
analyst work of the agencies whose work they see (judgements, notes, asserted
ties, grades), and public watchlists; then it derives everything else *there*,
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
visible evidence; measures are computed again on the visible ties.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from threadline.analyze.stage import analyze_workspace
from threadline.extras import installed
from threadline.model import Entity, Evidence, Tie
from threadline.model.names import fold
from threadline.resolve.stage import resolve_workspace
from threadline.security.derived import bases, filter_view_work, mentions_visible, workspace_names
from threadline.store import Workspace, open_workspace
from threadline.store.schema import MIGRATIONS

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


def _rows(ws: Workspace, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    return list(ws.con.execute(sql, params or []).fetchall())


def _table(ws: Workspace, table: str) -> list[tuple[Any, ...]]:
    """Every row of ``table`` in a fixed order (by its first columns): the view must not
    depend on the order a backend happens to return rows in (PostgreSQL's follows
    updates; a hidden row's presence must not reorder the visible ones)."""
    return _rows(ws, f"SELECT * FROM {table} ORDER BY 1, 2")


def public_source(source: str | None) -> str | None:
    """What a user is told of where a source came from: a web address as it is, a file
    only by its name (a folder of the machine that ingested it is nobody's business)."""
    if not source or "://" in source:
        return source
    return source.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1] or source


def _put(view: Workspace, table: str, rows: list[tuple[Any, ...]]) -> None:
    if rows:
        view._insert_many(f"INSERT INTO {table}", [list(r) for r in rows])


def owners(ws: Workspace, kind: str, default: str) -> dict[str, str]:
    """Owning agency of each piece of analyst work of ``kind`` (default: the default agency)."""
    found = _rows(ws, "SELECT id, agency FROM work_owner WHERE kind = ?", [kind])
    return defaultdict(lambda: default, {str(i): str(a) for i, a in found})


def set_owner(ws: Workspace, kind: str, ident: str | int, agency: str) -> None:
    ws.con.execute(
        "INSERT INTO work_owner (kind, id, agency) VALUES (?, ?, ?) "
        "ON CONFLICT (kind, id) DO UPDATE SET agency = excluded.agency",
        [kind, str(ident), agency],
    )


#: DuckDB column types as Arrow types, for :class:`ViewStore`'s bulk writes.
_ARROW_TYPES = {
    "VARCHAR": "string",
    "DOUBLE": "float64",
    "FLOAT": "float32",
    "BIGINT": "int64",
    "INTEGER": "int32",
    "SMALLINT": "int16",
    "BOOLEAN": "bool_",
    "BLOB": "binary",
    "DATE": "date32",
}


class ViewStore(Workspace):
    """A view's private embedded workspace, whose bulk writes go through Arrow.

    Every stage writes rows with ``INSERT INTO t VALUES (?, ...), ...``; DuckDB binds
    such parameters slowly (a view of 200,000 ties spent more than half of its build
    there). Here the rows become one Arrow table that DuckDB reads whole. Statements
    other than a plain ``INSERT INTO``, and rows Arrow cannot type, take the store's
    usual path.
    """

    _shapes: dict[str, list[tuple[str, str]]]

    def _insert_many(self, statement: str, rows: list[list[Any]], chunk: int = 500) -> None:
        words = statement.split(None, 3)
        if not rows or len(words) < 3 or [w.upper() for w in words[:2]] != ["INSERT", "INTO"]:
            super()._insert_many(statement, rows, chunk)
            return
        table, _, listed = words[2].partition("(")
        named = (listed + (words[3] if len(words) > 3 else "")).strip().lstrip("(").rstrip(")")
        shape = self._shape(table)
        if named:
            types = dict(shape)
            columns = [(c.strip(), types.get(c.strip(), "")) for c in named.split(",")]
        else:
            columns = shape
        batch = _arrow(columns, rows)
        if batch is None:
            super()._insert_many(statement, rows, chunk)
            return
        con = cast(Any, self.con)
        con.register("threadline_bulk_rows", batch)
        try:
            names = ", ".join(c for c, _ in columns)
            con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM threadline_bulk_rows")
        finally:
            con.unregister("threadline_bulk_rows")

    def _shape(self, table: str) -> list[tuple[str, str]]:
        if not hasattr(self, "_shapes"):
            self._shapes = {}
        if table not in self._shapes:
            self._shapes[table] = [
                (str(r[0]), str(r[1]))
                for r in self.con.execute(
                    "SELECT column_name, data_type FROM information_schema.columns "
                    "WHERE table_name = ? AND table_schema = current_schema() "
                    "ORDER BY ordinal_position",
                    [table],
                ).fetchall()
            ]
        return self._shapes[table]


def _arrow(columns: list[tuple[str, str]], rows: list[list[Any]]) -> Any:
    """``rows`` as an Arrow table with ``columns`` (name, DuckDB type); None if they do
    not fit, or pyarrow (the ``records`` extra) is not installed: the caller then binds
    them one by one."""
    if not installed("pyarrow"):
        return None
    import pyarrow as pa

    if any(len(r) != len(columns) for r in rows):
        return None
    arrays = {}
    try:
        for k, (name, duck) in enumerate(columns):
            kind = _ARROW_TYPES.get(duck.upper())
            if duck.upper() == "TIMESTAMP":
                wanted = pa.timestamp("us")
            else:
                wanted = getattr(pa, kind)() if kind else None
            arrays[name] = pa.array([r[k] for r in rows], type=wanted)
    except (pa.ArrowException, TypeError, ValueError, OverflowError):
        return None
    return pa.table(arrays)


def _open_view(root: Path) -> ViewStore:
    open_workspace(root, create=True).close()  # the folder and the schema
    return ViewStore(root)


def build_view(ws: Workspace, scope: Scope, root: Path, *, default_agency: str) -> dict[str, Any]:
    """Write the view of ``scope`` into a new embedded workspace at ``root``.

    Returns counts of what was copied and derived. Reads ``ws`` only.
    """
    docs = scope.documents
    view = _open_view(root)
    try:
        with view.transaction():
            source = _col(ws, "documents", "source")
            for table in ("documents", "mentions", "assertions", "claims", "extracted", "records"):
                column = "id" if table == "documents" else "document"
                kept = [r for r in _table(ws, table) if r[_col(ws, table, column)] in docs]
                if table == "documents":
                    kept = [(*r[:source], public_source(r[source]), *r[source + 1 :]) for r in kept]
                _put(view, table, kept)
            records = {r[0] for r in _rows(view, "SELECT id FROM records")}
            _put(
                view,
                "record_links",
                [r for r in _table(ws, "record_links") if r[0] in records and r[1] in records],
            )
            _copy_work(ws, view, scope, default_agency)
            for table in ("watchlists", "watchlist_entries"):
                _put(view, table, _table(ws, table))
        resolver_built = bool(_rows(ws, "SELECT 1 FROM merge_steps LIMIT 1")) or bool(
            _rows(ws, "SELECT 1 FROM assertions LIMIT 1")
        )
        if resolver_built:
            resolve_workspace(view)
        else:
            _filter_network(ws, view, docs)
        filter_view_work(view, ws)
        analysed = bool(_rows(ws, "SELECT 1 FROM metrics LIMIT 1"))
        if analysed:
            _measures(view)
        counts = view.counts()
    finally:
        view.close()
    return counts  # fmt: skip


_COLUMNS: dict[str, dict[str, int]] = {}


def _col(ws: Workspace, table: str, column: str) -> int:
    """Position of ``column`` in ``SELECT * FROM table`` (the migrations fix the order)."""
    if table not in _COLUMNS:
        _COLUMNS[table] = _positions(table)
    return _COLUMNS[table][column]


def _positions(table: str) -> dict[str, int]:
    cols: list[str] = []
    for migration in MIGRATIONS:
        for statement in migration:
            s = " ".join(statement.split())
            if s.startswith(f"CREATE TABLE {table} ("):
                body = s[len(f"CREATE TABLE {table} (") : s.rindex(")")]
                cols = [
                    part.strip().split()[0]
                    for part in _split(body)
                    if not part.strip().upper().startswith("PRIMARY KEY")
                ]
            elif s.startswith(f"ALTER TABLE {table} ADD COLUMN "):
                cols.append(s.split()[5])
    return {c: i for i, c in enumerate(cols)}


def _split(body: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, ch in enumerate(body):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(body[start:i])
            start = i + 1
    parts.append(body[start:])
    return parts


def visible_judgements(
    ws: Workspace, view: Workspace, scope: Scope, default_agency: str
) -> list[tuple[Any, ...]]:
    """The judgements a view applies: of the agencies in scope, and naming only mentions of
    visible documents and names the view holds (:mod:`threadline.security.derived`); an
    undo only when the judgement it withdraws is kept."""
    judged = owners(ws, "judgement", default_agency)
    doc_of = {str(m): str(d) for m, d in _rows(ws, "SELECT id, document FROM mentions")}
    sides: dict[int, set[str]] = defaultdict(set)
    for jid, mention in _rows(ws, "SELECT judgement, mention FROM judgement_mentions"):
        sides[int(jid)].add(str(mention))
    reasons = bases(ws, "judgement")
    names = workspace_names(view) if reasons else set()
    verdict, undoes = _col(ws, "judgements", "verdict"), _col(ws, "judgements", "undoes")
    kept: list[tuple[Any, ...]] = []
    ids: set[int] = set()
    for r in _rows(ws, "SELECT * FROM judgements ORDER BY id"):
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
    _put(view, "judgements", kept)
    ids = {r[0] for r in kept}
    _put(
        view,
        "judgement_mentions",
        [r for r in _table(ws, "judgement_mentions") if r[0] in ids],
    )
    _copy_corrections(ws, view, scope, default_agency)
    _put(view, "analyst_notes", visible_notes(ws, scope, default_agency))
    asserted = owners(ws, "asserted_tie", default_agency)
    _put(
        view,
        "analyst_ties",
        [r for r in _table(ws, "analyst_ties") if asserted[str(r[0])] in scope.agencies],
    )
    graded = owners(ws, "grade", default_agency)
    _put(
        view,
        "source_grades",
        [
            r
            for r in _table(ws, "source_grades")
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
    docs: dict[int, set[str]] = defaultdict(set)
    for cid, doc in _rows(ws, "SELECT correction, document FROM correction_spans"):
        docs[int(cid)].add(str(doc))
    kind, undoes = _col(ws, "corrections", "kind"), _col(ws, "corrections", "undoes")
    kept: list[tuple[Any, ...]] = []
    ids: set[int] = set()
    for r in _rows(ws, "SELECT * FROM corrections ORDER BY id"):
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
    _put(view, "corrections", kept)
    _put(view, "correction_spans", [r for r in _table(ws, "correction_spans") if r[0] in ids])


def visible_notes(ws: Workspace, scope: Scope, default_agency: str) -> list[tuple[Any, ...]]:
    """The rows of the analyst notes of the agencies in ``scope`` (retracted ones too)."""
    noted = owners(ws, "note", default_agency)
    return [r for r in _table(ws, "analyst_notes") if noted[str(r[0])] in scope.agencies]


def replace_notes(view: Workspace, rows: list[tuple[Any, ...]]) -> None:
    """Put ``rows`` (from :func:`visible_notes`) in place of a view's notes. A note
    changes no tie, name or measure, so this is all a view needs after one."""
    with view.transaction():
        view.con.execute("DELETE FROM analyst_notes")
        _put(view, "analyst_notes", rows)


def _filter_network(ws: Workspace, view: Workspace, docs: frozenset[str]) -> None:
    """Entities and ties of a network the resolver did not build, cut to the visible evidence."""
    doc_of = dict(_rows(view, "SELECT id, document FROM mentions"))
    texts = defaultdict(set)
    for mid, text in _rows(view, "SELECT id, text FROM mentions"):
        texts[mid].add(fold(text or ""))
    members: dict[str, list[str]] = defaultdict(list)
    for mention, entity in _rows(ws, "SELECT mention, entity FROM entity_mentions ORDER BY 1, 2"):
        if mention in doc_of:
            members[entity].append(mention)
    ties: list[Tie] = []
    quoted: dict[str, list[str]] = defaultdict(list)
    for row in _rows(
        ws,
        "SELECT id, type, source, target, detail, confidence, hedged, inferred, evidence FROM ties "
        "ORDER BY id",
    ):
        evidence = [Evidence.from_dict(d) for d in json.loads(row[8]) if d.get("document") in docs]
        if not evidence:
            continue
        ties.append(Tie(row[0], row[1], row[2], row[3], row[4], row[5], evidence,
                        hedged=bool(row[6]), inferred=bool(row[7])))  # fmt: skip
        for ev in evidence:
            quoted[row[2]].append(ev.quote)
            quoted[row[3]].append(ev.quote)
    entities = []
    for r in _rows(
        ws, "SELECT id, schema, name, names, aliases, roles, data FROM entities ORDER BY id"
    ):
        eid, mine = r[0], members.get(r[0], [])
        if not mine and eid not in quoted:
            continue
        seen = set().union(*(texts[m] for m in mine)) if mine else set()
        quotes = " ".join(fold(q) for q in quoted.get(eid, []))

        def shown(values: Iterable[str], seen: set[str] = seen, quotes: str = quotes) -> list[str]:
            return [v for v in values if fold(v) in seen or (fold(v) and fold(v) in quotes)]

        names, aliases = shown(json.loads(r[3])), shown(json.loads(r[4]))
        name = r[2] if r[2] in names else (names or aliases or [""])[0]
        if not name:
            continue
        entities.append(Entity(eid, r[1], name, names or [name], aliases, mine, json.loads(r[5])))
    kept = {e.id for e in entities}
    with view.transaction():
        view.replace_resolution(
            entities, [t for t in ties if t.source in kept and t.target in kept]
        )


def _measures(view: Workspace) -> None:
    """The measures and cells again, on the view's own network."""
    row = view.con.execute("SELECT count(*) FROM ties").fetchone()
    if row and int(row[0]) <= FULL_MEASURES_TIES:
        analyze_workspace(view)
        return
    degree: dict[str, set[str]] = defaultdict(set)
    for s, t in _rows(view, "SELECT source, target FROM ties"):
        degree[s].add(t)
        degree[t].add(s)
    with view.transaction():
        view.replace_metrics({e: {"degree": float(len(n))} for e, n in degree.items()})


def scratch_root(base: str | os.PathLike[str] | None, name: str) -> Path:
    """A folder for one view under ``base`` (default: the system's temporary folder)."""
    import tempfile

    return Path(tempfile.mkdtemp(prefix=f"threadline-view-{name}-", dir=base))
