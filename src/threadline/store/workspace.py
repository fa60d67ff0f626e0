"""The workspace: a database plus a content-addressed copy of every ingested file.

Two backends behind one class. A folder holds the embedded, single-user
DuckDB database (``threadline.duckdb``) and the files (``blobs/ab/abcdef…``);
a ``postgresql://`` URL names a database on a PostgreSQL server (server mode,
several users and processes at once), which holds the files too
(:mod:`threadline.store.postgres`). The store's SQL is written once and runs
on both (:mod:`threadline.store.dialect`).

Each stage writes inside one transaction (:meth:`Workspace.transaction`), so a
run killed midway leaves the previous, consistent state. Values are always
bound as SQL parameters.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

import duckdb

from threadline.errors import NotFoundError, WorkspaceError
from threadline.model import Assertion, Claim, Document, Entity, Evidence, Mention, Tie
from threadline.store.bulk import insert_arrow
from threadline.store.dialect import numbered, row_marks
from threadline.store.schema import (
    LATEST_VERSION,
    MIGRATIONS,
    PRE_BASELINE_KEY,
    SCHEMA_VERSION_KEY,
)
from threadline.store.times import stamp

if TYPE_CHECKING:
    from threadline.store.postgres import PgConnection

DB_NAME = "threadline.duckdb"
BLOB_DIR = "blobs"
#: ``pg_advisory_xact_lock`` key held while a server workspace is migrated.
MIGRATION_LOCK = 0x7468726C  # "thrl"

_DOC_COLS = (
    "id, sha256, source, blob, kind, encoding, title, published, outlet, author, url, text, "
    "segments, language"
)


#: Column order of the rows :meth:`Workspace.add_mentions` and ``add_assertions`` write.
MENTION_COLUMNS = (
    "id, document, start_, end_, text, label, extractor, confidence, key, segment, attrs"
)
ASSERTION_COLUMNS = "id, document, kind, type, a, b, detail, evidence"
CLAIM_COLUMNS = (
    "id, document, subject, quantity, value, value_text, qualifier, unit, evidence, "
    "attributed_to, value_high"
)


def _j(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


class Rows(Protocol):
    """What ``Workspace.con.execute`` returns on either backend."""

    def fetchall(self) -> list[tuple[Any, ...]]: ...

    def fetchone(self) -> tuple[Any, ...] | None: ...

    @property
    def description(self) -> Any: ...


class Connection(Protocol):
    """The connection interface the store uses: DuckDB's, which the PostgreSQL adapter copies."""

    def execute(self, query: str, parameters: Sequence[Any] | None = None, /) -> Rows: ...

    def executemany(self, query: str, parameters: Sequence[Sequence[Any]], /) -> Any: ...

    def close(self) -> None: ...


class BlobStore(Protocol):
    """Where a backend keeps original files, by SHA-256."""

    def put(self, sha256: str, data: bytes) -> None: ...

    def read(self, sha256: str) -> bytes | None: ...

    def delete(self, sha256: str) -> bool: ...

    def path(self, sha256: str) -> Path: ...


class FolderBlobs:
    """Original files in a folder, fanned out by the first two hex digits of their hash."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, sha256: str) -> Path:
        return self.folder / sha256[:2] / sha256

    def put(self, sha256: str, data: bytes) -> None:
        target = self.path(sha256)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)  # atomic: never a half-written blob

    def read(self, sha256: str) -> bytes | None:
        try:
            return self.path(sha256).read_bytes()
        except FileNotFoundError:
            return None

    def delete(self, sha256: str) -> bool:
        target = self.path(sha256)
        try:
            target.unlink()
        except FileNotFoundError:
            return False
        with contextlib.suppress(OSError):
            target.parent.rmdir()  # only when the fan-out folder is now empty
        return True


def is_server_location(location: object) -> bool:
    """Whether ``location`` is a ``postgresql://`` URL (server mode) rather than a folder."""
    return isinstance(location, str) and location.lower().startswith(
        ("postgresql://", "postgres://")
    )


def open_workspace(location: str | os.PathLike[str], *, create: bool = False) -> Workspace:
    """Open the workspace at ``location``; with ``create`` make it if it does not exist.

    ``location`` is a folder (the embedded DuckDB workspace) or a
    ``postgresql://user@host:port/dbname`` URL (server mode; ``create`` also
    creates the database when the user may).

    Raises :class:`WorkspaceError` when the location holds no workspace and
    ``create`` is false, or when its schema is newer than this threadline.
    """
    if is_server_location(location):
        return _open_server(str(location), create=create)
    root = Path(location)
    db = root / DB_NAME
    if root.exists() and not root.is_dir():
        raise WorkspaceError(
            f"'{root}' is a file, not a workspace folder: pass another path with --workspace"
        )
    if not db.exists():
        if not create:
            raise WorkspaceError(
                f"no workspace at '{root}': run 'threadline init {root}' or pass --workspace"
            )
        try:
            root.mkdir(parents=True, exist_ok=True)
            (root / BLOB_DIR).mkdir(exist_ok=True)
        except OSError as exc:
            raise WorkspaceError(
                f"cannot create a workspace at '{root}': {exc.strerror or exc}"
            ) from exc
    return Workspace(root)


def _open_server(url: str, *, create: bool) -> Workspace:
    # lazy: psycopg is loaded only in server mode
    from threadline.store import postgres

    con = postgres.PgConnection(postgres.connect_or_create(url, create=create))
    return Workspace.on_server(con, url, create=create)


class Workspace:
    """A threadline workspace. Use :func:`open_workspace` to get one.

    ``backend`` is ``"duckdb"`` or ``"postgresql"``; ``location`` the folder or
    the URL (password masked); ``root`` the folder, None in server mode. ``con``
    runs the store's SQL on either backend (``$1`` placeholders), and
    ``db_errors`` are the exceptions that SQL may raise.
    """

    backend: str
    location: str
    root: Path | None
    con: Connection
    db_errors: tuple[type[BaseException], ...]

    def __init__(self, root: Path) -> None:
        self.root = root
        self.location = str(root)
        self.backend = "duckdb"
        self.db_errors = (duckdb.Error,)
        self._blobs: BlobStore = FolderBlobs(root / BLOB_DIR)
        self._depth = 0  # nesting level of :meth:`transaction`
        #: Steps to run once the outermost transaction has committed (the audit's anchor).
        self.after_commit: list[Any] = []
        #: Steps to run inside every outermost transaction just before it commits, each
        #: given the workspace, until their owner removes them (the API stores a request's
        #: id with the request's first write).
        self.before_commit: list[Any] = []
        try:
            self.con = cast(Connection, duckdb.connect(str(root / DB_NAME)))
        except duckdb.Error as exc:  # locked by another process, or not a DuckDB file
            raise WorkspaceError(
                f"cannot open workspace '{root}': {exc}; is another threadline using it, "
                f"or is {DB_NAME} damaged?"
            ) from exc
        # DuckDB scans an index for a filter matching up to 2,048 rows; for one document's
        # rows of a table indexed by document (for PostgreSQL's sake) that was 10 times
        # slower than its zone-map-pruned table scan once a resolution had been written
        # (benchmarks/store_writes.py). Only lookups of a few rows in a thousand use one.
        with contextlib.suppress(duckdb.Error):  # a setting of DuckDB >= 1.1
            self.con.execute("SET index_scan_max_count = 0")
        try:
            self._migrate()
        except BaseException:
            self.con.close()  # never keep a refused workspace locked
            raise

    @classmethod
    def on_server(
        cls, con: PgConnection, url: str, *, create: bool = False, migrate: bool = True
    ) -> Workspace:
        """A workspace on a PostgreSQL connection (see :func:`open_workspace`).

        ``migrate=False`` is for connections borrowed from a pool once the
        workspace has been opened (and migrated) by :func:`open_workspace`.
        """
        # lazy: psycopg is loaded only in server mode
        from threadline.store import postgres

        ws = cls.__new__(cls)
        ws.root = None
        ws.location = postgres.safe_url(url)
        ws.backend = "postgresql"
        ws.db_errors = postgres.ERRORS
        ws.con = cast(Connection, con)
        ws._blobs = postgres.DatabaseBlobs(con, url)
        ws._depth = 0
        ws.after_commit = []
        ws.before_commit = []
        if migrate:
            try:
                ws._migrate(create=create)
            except BaseException:
                con.close()
                raise
        return ws

    # -- lifecycle ---------------------------------------------------------
    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Workspace:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Workspace {self.backend} {self.location}>"

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Run the body atomically: all of its writes land, or none do.

        Transactions nest: an inner one joins the outer, so a workflow can wrap
        several stages (each with its own transaction) into one atomic change.
        An exception (``KeyboardInterrupt`` included) that leaves the outermost
        body rolls everything back.
        """
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self.con.execute("BEGIN TRANSACTION")
        self._depth = 1
        try:
            yield
            for step in list(self.before_commit):
                step(self)
        except BaseException:
            self._depth = 0
            self.after_commit.clear()
            self.con.execute("ROLLBACK")
            raise
        self._depth = 0
        self.con.execute("COMMIT")
        done, self.after_commit = self.after_commit, []
        for step in done:
            step()

    def schema_version(self) -> int:
        """The schema version the database is at (0 for an empty database).

        Raises :class:`WorkspaceError` for a workspace a development build made before
        the schema baseline, naming its version and how to rebuild it.
        """
        if not self.has_table("meta"):
            return 0
        found = dict(
            self.con.execute(
                "SELECT key, value FROM meta WHERE key IN ($1, $2)",
                [SCHEMA_VERSION_KEY, PRE_BASELINE_KEY],
            ).fetchall()
        )
        if SCHEMA_VERSION_KEY in found:
            return int(found[SCHEMA_VERSION_KEY])
        if PRE_BASELINE_KEY in found:
            raise WorkspaceError(
                f"workspace '{self.location}' has schema version {found[PRE_BASELINE_KEY]} "
                "of a development build before threadline 0.1.0, which this threadline "
                "cannot open or migrate; rebuild it from the original files: "
                f"'threadline run FILES... --workspace NEW' (then use NEW), see docs/architecture.md"
            )
        return 0

    def has_table(self, name: str) -> bool:
        """Whether the workspace's schema has a table ``name``."""
        row = self.con.execute(
            "SELECT count(*) FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_name = $1",
            [name],
        ).fetchone()
        return bool(row and row[0])

    def _migrate(self, *, create: bool = True) -> None:
        unreadable: tuple[type[BaseException], ...] = (ValueError, *self.db_errors)
        try:
            version = self.schema_version()
        except WorkspaceError:
            raise
        except unreadable as exc:
            raise WorkspaceError(
                f"workspace '{self.location}' has an unreadable schema version ({exc})"
            ) from exc
        if version == 0 and not create:  # a server database that holds no workspace yet
            raise WorkspaceError(
                f"no workspace at '{self.location}': run 'threadline init {self.location}' "
                "or pass --workspace"
            )
        if version > LATEST_VERSION:
            raise WorkspaceError(
                f"workspace '{self.location}' has schema version {version}, newer than this "
                f"threadline ({LATEST_VERSION}); upgrade threadline"
            )
        if self.backend == "postgresql":
            # lazy: psycopg is loaded only in server mode
            from threadline.store.postgres import BLOB_DDL, BLOB_TABLE

            if version == LATEST_VERSION and self.has_table(BLOB_TABLE):
                return
            # one transaction, under a lock: two processes opening a new database at
            # once must not both create its tables
            with self.transaction():
                self.con.execute("SELECT pg_advisory_xact_lock($1)", [MIGRATION_LOCK])
                self.con.execute(BLOB_DDL)
                for target in range(self.schema_version(), LATEST_VERSION):
                    self._migrate_step(target)
                # lazy: psycopg is loaded only in server mode
                from threadline.store.postgres import regrant

                regrant(self)  # the application role's rights cover the new tables too
            return
        for target in range(version, LATEST_VERSION):
            with self.transaction():
                self._migrate_step(target)

    def _migrate_step(self, target: int) -> None:
        for statement in MIGRATIONS[target]:
            self.con.execute(statement)
        self.set_meta(SCHEMA_VERSION_KEY, str(target + 1))

    def meta(self, key: str) -> str | None:
        """The workspace setting ``key`` (table ``meta``), None when unset."""
        row = self.con.execute("SELECT value FROM meta WHERE key = $1", [key]).fetchone()
        return str(row[0]) if row and row[0] is not None else None

    def set_meta(self, key: str, value: str) -> None:
        """Set the workspace setting ``key`` to ``value``."""
        self.con.execute(
            "INSERT INTO meta (key, value) VALUES ($1, $2) "
            "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [key, value],
        )

    def log(self, stage: str, detail: str) -> None:
        self.con.execute(
            "INSERT INTO stage_log (stage, done_at, detail) VALUES ($1, $2, $3)",
            [stage, stamp(), detail],
        )

    def _insert_many(self, statement: str, rows: list[list[Any]], chunk: int = 500) -> None:
        """``statement VALUES (...), (...)`` in chunks: far faster than executemany in DuckDB.
        Values stay bound as parameters; on DuckDB, many rows go as an Arrow table
        instead (:func:`threadline.store.bulk.insert_arrow`)."""
        if not rows:
            return
        if self.backend == "duckdb" and insert_arrow(self.con, statement, rows):
            return  # one statement, no parameters
        width = len(rows[0])
        for i in range(0, len(rows), chunk):
            part = rows[i : i + chunk]
            marks = row_marks(len(part), width)
            self.con.execute(f"{statement} VALUES {marks}", [v for row in part for v in row])

    def upsert_many(
        self, table: str, columns: Sequence[str], key: Sequence[str], rows: list[list[Any]]
    ) -> None:
        """Insert ``rows`` (values of ``columns``) into ``table``, a row whose ``key`` is
        already stored replacing that row's other columns; of rows sharing a key the first
        counts. One ``INSERT ... ON CONFLICT`` per chunk, the same on both backends."""
        if not rows:
            return
        at = [list(columns).index(k) for k in key]
        seen: set[tuple[Any, ...]] = set()
        kept = []
        for row in rows:
            ident = tuple(row[i] for i in at)
            if ident not in seen:  # one statement may not change one row twice
                seen.add(ident)
                kept.append(row)
        others = [c for c in columns if c not in key]
        action = (
            "DO UPDATE SET " + ", ".join(f"{c} = excluded.{c}" for c in others)
            if others
            else "DO NOTHING"
        )
        width, chunk = len(columns), 500
        head = f"INSERT INTO {table} ({', '.join(columns)})"
        tail = f" ON CONFLICT ({', '.join(key)}) {action}"
        if self.backend == "duckdb" and insert_arrow(self.con, head, kept, tail):
            return  # one statement, no parameters
        head += " VALUES "
        for i in range(0, len(kept), chunk):
            part = kept[i : i + chunk]
            marks = row_marks(len(part), width)
            self.con.execute(head + marks + tail, [v for row in part for v in row])

    # -- blobs -------------------------------------------------------------
    def blob_path(self, sha256: str) -> Path:
        """A local file with the stored copy of ``sha256`` (it may not exist).

        In server mode the file is copied from the database to a local cache.
        """
        return self._blobs.path(sha256)

    def read_blob(self, sha256: str) -> bytes:
        """The stored copy of the file ``sha256``."""
        data = self._blobs.read(sha256)
        if data is None:
            raise NotFoundError(f"no stored file with SHA-256 {sha256}")
        return data

    @staticmethod
    def put_blob_hash(data: bytes) -> str:
        """The SHA-256 under which ``data`` is (or would be) stored."""
        return hashlib.sha256(data).hexdigest()

    def put_blob(self, data: bytes) -> str:
        """Store ``data`` under its SHA-256 (once) and return the hash."""
        sha = hashlib.sha256(data).hexdigest()
        self._blobs.put(sha, data)
        return sha

    def delete_blob(self, sha256: str) -> bool:
        """Remove the stored copy of ``sha256`` unless a document still uses it.

        Blobs are content-addressed, so one copy may serve several rows; it goes
        only when no document refers to it. Returns whether a copy was removed.
        Files in a folder are not transactional: call this after the deleting
        transaction has committed.
        """
        row = self.con.execute(
            "SELECT count(*) FROM documents WHERE blob = $1 OR sha256 = $2", [sha256, sha256]
        ).fetchone()
        if row and row[0]:
            return False
        return self._blobs.delete(sha256)

    # -- documents ---------------------------------------------------------
    def has_document(self, sha256: str) -> str | None:
        row = self.con.execute("SELECT id FROM documents WHERE sha256 = $1", [sha256]).fetchone()
        return str(row[0]) if row else None

    def add_document(self, doc: Document) -> None:
        self.con.execute(
            f"INSERT INTO documents ({_DOC_COLS}, ingested_at) "
            "VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11,$12,$13,$14,$15)",
            [
                doc.id,
                doc.sha256,
                doc.source,
                doc.sha256,
                doc.kind,
                doc.encoding,
                doc.title,
                doc.published,
                doc.outlet,
                doc.author,
                doc.url,
                doc.text,
                _j(doc.segments),
                doc.language,
                stamp(),
            ],
        )

    def _doc(self, row: tuple[Any, ...]) -> Document:
        return Document(
            id=row[0],
            sha256=row[1],
            source=row[2],
            kind=row[4],
            encoding=row[5],
            title=row[6],
            published=row[7],
            outlet=row[8],
            author=row[9],
            url=row[10],
            text=row[11],
            segments=json.loads(row[12] or "[]"),
            language=row[13],
        )

    def documents(self) -> list[Document]:
        rows = self.con.execute(f"SELECT {_DOC_COLS} FROM documents ORDER BY source, id").fetchall()
        return [self._doc(r) for r in rows]

    def document(self, ref: str) -> Document:
        """Find a document by id, SHA-256 (or a unique prefix of either), or source path."""
        rows = self.con.execute(
            f"SELECT {_DOC_COLS} FROM documents WHERE id = $1 OR sha256 = $2 OR source = $3 "
            "OR starts_with(id, $4) OR starts_with(sha256, $5) OR right(source, length(CAST($6 AS TEXT))) = $7",
            [ref, ref, ref, ref, ref, "/" + ref, "/" + ref],
        ).fetchall()
        if len(rows) != 1:
            why = "matches no document" if not rows else f"matches {len(rows)} documents"
            raise NotFoundError(f"document '{ref}' {why}; see 'threadline documents'")
        return self._doc(rows[0])

    def delete_document(self, doc_id: str) -> None:
        for table in (
            "mentions", "assertions", "claims", "extracted", "records",
            "record_sources", "calls", "phone_owners",
        ):  # fmt: skip
            col = "document"
            self.con.execute(f"DELETE FROM {table} WHERE {col} = $1", [doc_id])
        self.con.execute("DELETE FROM documents WHERE id = $1", [doc_id])

    # -- extraction --------------------------------------------------------
    def extracted_documents(self, extractor: str) -> set[str]:
        rows = self.con.execute(
            "SELECT document FROM extracted WHERE extractor = $1", [extractor]
        ).fetchall()
        return {r[0] for r in rows}

    def replace_extraction(
        self,
        doc_id: str,
        extractor: str,
        mentions: Iterable[Mention],
        assertions: Iterable[Assertion],
        claims: Iterable[Claim],
    ) -> None:
        """Replace everything extracted from one document (call inside a transaction)."""
        for table in ("mentions", "assertions", "claims", "extracted"):
            self.con.execute(f"DELETE FROM {table} WHERE document = $1", [doc_id])
        self.add_mentions(mentions)
        self.add_assertions(assertions)
        c_rows = [
            [
                c.id,
                c.document,
                c.subject,
                c.quantity,
                c.value,
                c.value_text,
                c.qualifier,
                c.unit,
                _j(c.evidence.to_dict()),
                c.attributed_to,
                c.value_high,
            ]
            for c in claims
        ]
        self.upsert_many("claims", CLAIM_COLUMNS.split(", "), ["id"], c_rows)
        self.con.execute(
            "INSERT INTO extracted (document, extractor, done_at) VALUES ($1, $2, $3)",
            [doc_id, extractor, stamp()],
        )

    def add_mentions(self, mentions: Iterable[Mention]) -> None:
        """Insert mentions (call inside a transaction)."""
        rows = [
            [
                m.id,
                m.document,
                m.start,
                m.end,
                m.text,
                m.label,
                m.extractor,
                m.confidence,
                m.key,
                m.segment,
                _j(m.attrs),
            ]
            for m in mentions
        ]
        if rows:
            self._insert_many(f"INSERT INTO mentions ({MENTION_COLUMNS})", rows)

    def add_assertions(self, assertions: Iterable[Assertion]) -> None:
        """Insert assertions, replacing any with the same id (call inside a transaction)."""
        rows = [
            [a.id, a.document, a.kind, a.type, a.a, a.b, a.detail, _j(a.evidence.to_dict())]
            for a in assertions
        ]
        self.upsert_many("assertions", ASSERTION_COLUMNS.split(", "), ["id"], rows)

    def mentions(self) -> list[Mention]:
        rows = self.con.execute(
            "SELECT id, document, start_, end_, text, label, extractor, confidence, key, "
            "segment, attrs FROM mentions ORDER BY document, start_, id"
        ).fetchall()
        return [_mention(r) for r in rows]

    def document_mentions(self, doc_id: str) -> list[Mention]:
        """The mentions found in one document, by position (the per-document review)."""
        rows = self.con.execute(
            "SELECT id, document, start_, end_, text, label, extractor, confidence, key, "
            "segment, attrs FROM mentions WHERE document = $1 ORDER BY start_, end_, id",
            [doc_id],
        ).fetchall()
        return [_mention(r) for r in rows]

    def assertions(self) -> list[Assertion]:
        rows = self.con.execute(
            "SELECT id, document, kind, type, a, b, detail, evidence FROM assertions "
            "ORDER BY document, id"
        ).fetchall()
        return [_assertion(r) for r in rows]

    def document_assertions(self, doc_id: str) -> list[Assertion]:
        """What one document states about its mentions (ties, aliases, roles)."""
        rows = self.con.execute(
            "SELECT id, document, kind, type, a, b, detail, evidence FROM assertions "
            "WHERE document = $1 ORDER BY id",
            [doc_id],
        ).fetchall()
        return [_assertion(r) for r in rows]

    def claims(self) -> list[Claim]:
        rows = self.con.execute(
            "SELECT id, document, subject, quantity, value, value_text, qualifier, unit, evidence, "
            "attributed_to, value_high FROM claims ORDER BY document, id"
        ).fetchall()
        return [
            Claim(
                id=r[0],
                document=r[1],
                subject=r[2],
                quantity=r[3],
                value=r[4],
                value_text=r[5],
                qualifier=r[6],
                unit=r[7],
                evidence=Evidence.from_dict(json.loads(r[8])),
                attributed_to=r[9] or "",
                value_high=r[10],
            )
            for r in rows
        ]

    # -- resolution --------------------------------------------------------
    def replace_resolution(self, entities: Iterable[Entity], ties: Iterable[Tie]) -> None:
        """Replace all entities and ties (call inside a transaction)."""
        for table in ("entities", "entity_mentions", "ties", "metrics"):
            self.con.execute(f"DELETE FROM {table}")
        e_rows: list[list[Any]] = []
        em_rows: list[list[str]] = []
        for e in entities:
            e_rows.append(
                [e.id, e.schema, e.name, _j(e.names), _j(e.aliases), _j(e.roles), _j(e.data)]
            )
            em_rows.extend([m, e.id] for m in e.mentions)
        if e_rows:
            self._insert_many("INSERT INTO entities", e_rows)
        self.upsert_many("entity_mentions", ["mention", "entity"], ["mention"], em_rows)
        t_rows = [
            [
                t.id,
                t.type,
                t.source,
                t.target,
                t.detail,
                t.confidence,
                t.hedged,
                t.inferred,
                _j([ev.to_dict() for ev in t.evidence]),
            ]
            for t in ties
        ]
        if t_rows:
            self._insert_many("INSERT INTO ties", t_rows)

    def entities(self) -> list[Entity]:
        rows = self.con.execute(
            "SELECT id, schema, name, names, aliases, roles, data FROM entities ORDER BY id"
        ).fetchall()
        members: dict[str, list[str]] = {}
        for m, e in self.con.execute(
            "SELECT mention, entity FROM entity_mentions ORDER BY mention"
        ).fetchall():
            members.setdefault(e, []).append(m)
        return [
            Entity(
                id=r[0],
                schema=r[1],
                name=r[2],
                names=json.loads(r[3]),
                aliases=json.loads(r[4]),
                mentions=members.get(r[0], []),
                roles=json.loads(r[5]),
                data=json.loads(r[6]),
            )
            for r in rows
        ]

    def ties(self) -> list[Tie]:
        rows = self.con.execute(
            "SELECT id, type, source, target, detail, confidence, hedged, inferred, evidence "
            "FROM ties ORDER BY id"
        ).fetchall()
        return [
            Tie(
                id=r[0],
                type=r[1],
                source=r[2],
                target=r[3],
                detail=r[4],
                confidence=r[5],
                hedged=bool(r[6]),
                inferred=bool(r[7]),
                evidence=[Evidence.from_dict(d) for d in json.loads(r[8])],
            )
            for r in rows
        ]

    # -- analysis ----------------------------------------------------------
    def replace_metrics(self, metrics: dict[str, dict[str, float]]) -> None:
        """Replace all metrics: ``{entity_id: {name: value}}`` (inside a transaction)."""
        self.con.execute("DELETE FROM metrics")
        rows = [[e, name, float(v)] for e, ms in metrics.items() for name, v in ms.items()]
        if rows:
            self._insert_many("INSERT INTO metrics", rows)

    def metrics(self) -> dict[str, dict[str, float]]:
        out: dict[str, dict[str, float]] = {}
        for e, name, v in self.con.execute("SELECT entity, name, value FROM metrics").fetchall():
            out.setdefault(e, {})[name] = v
        return out

    def counts(self) -> dict[str, int]:
        out = {}
        for table in ("documents", "mentions", "assertions", "claims", "entities", "ties"):
            row = self.con.execute(f"SELECT count(*) FROM {table}").fetchone()
            out[table] = int(row[0]) if row else 0
        return out

    # -- read views for the API and the workbench (issue 7) -------------------
    def tie_summaries(self) -> list[tuple[Any, ...]]:
        """Every tie without its evidence, with the earliest publication date of the
        documents that state it: ``(id, type, source, target, confidence, hedged,
        inferred, first_seen, detail)``, ``first_seen`` None when no document is dated.

        The API builds its in-memory graph from these rows: unlike :meth:`ties` it
        parses no quote, so a million ties load in seconds.
        """
        if self.backend == "postgresql":
            each_document = """SELECT t.id AS tie, e.value ->> 'document' AS doc
                   FROM ties t, jsonb_array_elements(CAST(t.evidence AS jsonb)) AS e(value)"""
        else:
            each_document = """SELECT id AS tie,
                          unnest(CAST(json_extract_string(evidence, '$[*].document') AS TEXT[]))
                              AS doc
                   FROM ties"""
        return self.con.execute(
            f"""WITH ev AS ({each_document}),
               first AS (
                   SELECT ev.tie, min(d.published) AS first_seen
                   FROM ev JOIN documents d ON d.id = ev.doc
                   WHERE d.published IS NOT NULL AND d.published <> ''
                   GROUP BY ev.tie)
               SELECT t.id, t.type, t.source, t.target, t.confidence, t.hedged, t.inferred,
                      first.first_seen, t.detail
               FROM ties t LEFT JOIN first ON first.tie = t.id
               ORDER BY t.id"""
        ).fetchall()

    def tie_evidence(self, ids: Iterable[str]) -> dict[str, list[Evidence]]:
        """The evidence of the ties ``ids``, by tie id (ids the workspace lacks are left out)."""
        wanted = list(dict.fromkeys(ids))
        if not wanted:
            return {}
        marks = numbered(len(wanted))
        rows = self.con.execute(
            f"SELECT id, evidence FROM ties WHERE id IN ({marks})", wanted
        ).fetchall()
        return {r[0]: [Evidence.from_dict(d) for d in json.loads(r[1])] for r in rows}


def _mention(r: Sequence[Any]) -> Mention:
    return Mention(
        r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7], r[8], r[9], json.loads(r[10] or "{}")
    )


def _assertion(r: Sequence[Any]) -> Assertion:
    return Assertion(r[0], r[1], r[2], r[3], r[4], r[5], r[6], Evidence.from_dict(json.loads(r[7])))
