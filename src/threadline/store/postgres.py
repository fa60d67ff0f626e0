"""Server mode: a workspace in a PostgreSQL database (the only module that imports psycopg).

:class:`PgConnection` gives the store the same small connection interface as
DuckDB's (``execute(sql, params)`` returning something with ``fetchall`` and
``fetchone``, ``executemany``, ``close``). The connection runs in autocommit
mode, so :meth:`Workspace.transaction` opens and ends transactions with explicit
``BEGIN``/``COMMIT``/``ROLLBACK`` just as on DuckDB.

Every statement is written once for both backends, with numbered placeholders
(``$1``, ``$2``...), and runs as it stands: DuckDB binds them, and here psycopg's
``RawCursor`` hands statement and values to the server. Nothing is rewritten at
run time (a parameter whose type the statement does not fix is cast in the
statement: ``CAST($1 AS TEXT) IS NULL``); a statement written with ``?`` is an
error the server reports.

Original files live in the database too (table ``blobs``, ``bytea``), so
several threadline processes on several machines share one workspace; a file
is copied to a local cache folder when a caller asks for its path.

A URL names the server and database: ``postgresql://user@127.0.0.1:5432/threadline``
(a password is better kept in ``~/.pgpass`` or ``$PGPASSWORD`` than in the URL).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
import psycopg.conninfo
import psycopg.sql
from psycopg_pool import ConnectionPool

from threadline.errors import DatabaseUnavailableError, WorkspaceError

#: URL schemes that name a PostgreSQL server.
SCHEMES = ("postgresql://", "postgres://")
#: The table that holds original files in server mode.
BLOB_TABLE = "blobs"
BLOB_DDL = (
    f'CREATE TABLE IF NOT EXISTS {BLOB_TABLE} (sha256 TEXT COLLATE "C" PRIMARY KEY, '
    "data BYTEA NOT NULL)"
)

#: Errors a caller may catch around SQL on this backend.
ERRORS: tuple[type[BaseException], ...] = (psycopg.Error,)
_PASSWORD = re.compile(r"(://[^:/@]*:)[^@]*@")


def is_server_url(location: object) -> bool:
    """Whether ``location`` names a PostgreSQL database rather than a folder."""
    return isinstance(location, str) and location.lower().startswith(SCHEMES)


def safe_url(url: str) -> str:
    """``url`` with any password masked, for messages and logs.

    >>> safe_url("postgresql://ana:s3cret@db:5432/case")
    'postgresql://ana:***@db:5432/case'
    """
    return _PASSWORD.sub(r"\1***@", url)


def _session(conn: psycopg.Connection[Any]) -> None:
    """Session settings every connection gets: UTC timestamps, as DuckDB stores them."""
    conn.execute("SET TIME ZONE 'UTC'")


def connect(url: str) -> psycopg.Connection[Any]:
    """A new autocommit connection to ``url``; a WorkspaceError names the server if it fails."""
    try:
        conn = psycopg.connect(url, autocommit=True, cursor_factory=psycopg.RawCursor)
    except psycopg.Error as exc:
        raise WorkspaceError(
            f"cannot connect to the PostgreSQL workspace '{safe_url(url)}': "
            f"{str(exc).strip()}; is the server running and the database created?"
        ) from exc
    _session(conn)
    return conn


def connect_or_create(url: str, *, create: bool) -> psycopg.Connection[Any]:
    """Connect to ``url``; with ``create``, first create its database if it is missing
    (through the server's ``postgres`` database, when the user may create databases)."""
    try:
        return connect(url)
    except WorkspaceError as exc:
        cause = exc.__cause__
        missing = isinstance(cause, psycopg.OperationalError) and "does not exist" in str(cause)
        if not (create and missing):
            raise
    info = psycopg.conninfo.conninfo_to_dict(url)
    name = str(info.get("dbname") or "")
    if not name:
        raise WorkspaceError(f"'{safe_url(url)}' names no database: end the URL with /DBNAME")
    admin = psycopg.conninfo.make_conninfo(url, dbname="postgres")
    try:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))
    except psycopg.Error as exc:
        raise WorkspaceError(
            f"cannot create the database '{name}' on '{safe_url(url)}': {str(exc).strip()}; "
            "create it with createdb or ask the server's administrator"
        ) from exc
    return connect(url)


class PgResult:
    """The rows of one statement (what ``execute`` returns on DuckDB too)."""

    def __init__(self, cursor: psycopg.Cursor[Any]) -> None:
        self._cursor = cursor

    def fetchall(self) -> list[tuple[Any, ...]]:
        if self._cursor.description is None:
            return []
        return list(self._cursor.fetchall())

    def fetchone(self) -> tuple[Any, ...] | None:
        if self._cursor.description is None:
            return None
        row = self._cursor.fetchone()
        return tuple(row) if row is not None else None

    def fetchmany(self, size: int = 1) -> list[tuple[Any, ...]]:
        if self._cursor.description is None:
            return []
        return list(self._cursor.fetchmany(size))

    @property
    def description(self) -> Any:
        return self._cursor.description

    @property
    def rowcount(self) -> int:
        return self._cursor.rowcount


class PgConnection:
    """One PostgreSQL connection speaking the store's SQL (see the module doc): each
    statement goes to the server as written, its values bound there."""

    backend = "postgresql"

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.raw = conn

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> PgResult:
        cursor = psycopg.RawCursor(self.raw)
        cursor.execute(sql, list(params) if params else None)
        return PgResult(cursor)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        rows = list(rows)
        if rows:
            with psycopg.RawCursor(self.raw) as cursor:
                cursor.executemany(sql, rows)

    def close(self) -> None:
        self.raw.close()


class DatabaseBlobs:
    """Original files in the ``blobs`` table; :meth:`path` copies one to a local cache."""

    def __init__(self, con: PgConnection, url: str) -> None:
        self.con = con
        # one cache folder per database: what one workspace deletes, another may keep
        where = hashlib.sha256(safe_url(url).encode()).hexdigest()[:16]
        self.cache = Path(tempfile.gettempdir()) / f"threadline-blobs-{os.getuid()}" / where

    def put(self, sha256: str, data: bytes) -> None:
        self.con.execute(
            f"INSERT INTO {BLOB_TABLE} (sha256, data) VALUES ($1, $2) ON CONFLICT (sha256) DO NOTHING",
            [sha256, data],
        )

    def read(self, sha256: str) -> bytes | None:
        row = self.con.execute(
            f"SELECT data FROM {BLOB_TABLE} WHERE sha256 = $1", [sha256]
        ).fetchone()
        return bytes(row[0]) if row else None

    def exists(self, sha256: str) -> bool:
        row = self.con.execute(
            f"SELECT count(*) FROM {BLOB_TABLE} WHERE sha256 = $1", [sha256]
        ).fetchone()
        return bool(row and row[0])

    def delete(self, sha256: str) -> bool:
        gone = self.con.execute(
            f"DELETE FROM {BLOB_TABLE} WHERE sha256 = $1 RETURNING sha256", [sha256]
        ).fetchall()
        self._uncache(sha256)
        return bool(gone)

    def path(self, sha256: str) -> Path:
        """A local file holding the blob; a path that does not exist when the database
        has no such blob (as for a folder workspace)."""
        target = self.cache / sha256[:2] / sha256
        data = self.read(sha256)
        if data is None:
            self._uncache(sha256)
            return target
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)
        return target

    def _uncache(self, sha256: str) -> None:
        target = self.cache / sha256[:2] / sha256
        with contextlib.suppress(OSError):
            target.unlink()
        with contextlib.suppress(OSError):
            target.parent.rmdir()


# -- roles: an owner that migrates, an application role that serves -------------------------

#: The ``meta`` key naming the application's database role (see :func:`grant_app_role`).
APP_ROLE_KEY = "app_role"
#: Tables the application may only append to and read: the audit log and its heads.
APPEND_ONLY_TABLES = ("audit_log", "audit_heads")


def grant_app_role(ws: Any, role: str) -> None:
    """Let ``role`` serve the workspace ``ws`` (run as the role that owns its tables).

    ``role`` may read and change every table except the audit tables
    (:data:`APPEND_ONLY_TABLES`), which it may only read and append to: no UPDATE,
    DELETE or TRUNCATE. The role is remembered in ``meta``, and every later migration
    (run by the owner) grants it the same on the tables it creates.
    """
    if ws.backend != "postgresql":
        raise WorkspaceError("database roles exist only on a PostgreSQL workspace")
    with ws.transaction():
        ws.set_meta(APP_ROLE_KEY, role)
        _grant(ws, role)


def regrant(ws: Any) -> None:
    """Grant the remembered application role (if any) its rights again (after a migration)."""
    row = ws.con.execute("SELECT value FROM meta WHERE key = $1", [APP_ROLE_KEY]).fetchone()
    if row and row[0]:
        _grant(ws, str(row[0]))


def _grant(ws: Any, role: str) -> None:
    raw: psycopg.Connection[Any] = ws.con.raw
    exists = raw.execute("SELECT 1 FROM pg_roles WHERE rolname = $1", [role]).fetchone()
    if not exists:
        raise WorkspaceError(
            f"there is no database role '{role}': create it first (CREATE ROLE {role} LOGIN), "
            "see docs/agencies.md"
        )
    who = psycopg.sql.Identifier(role)
    schema = raw.execute("SELECT current_schema()").fetchone()
    where = psycopg.sql.Identifier(str(schema[0] if schema else "public"))
    tables = [str(r[0]) for r in raw.execute(
        "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
    ).fetchall()]  # fmt: skip
    sql = psycopg.sql.SQL
    raw.execute(sql("GRANT USAGE ON SCHEMA {} TO {}").format(where, who))
    for table in tables:
        name = psycopg.sql.Identifier(table)
        raw.execute(sql("REVOKE ALL ON TABLE {} FROM {}").format(name, who))
        rights = (
            "SELECT, INSERT" if table in APPEND_ONLY_TABLES else "SELECT, INSERT, UPDATE, DELETE"
        )
        raw.execute(sql(f"GRANT {rights} ON TABLE {{}} TO {{}}").format(name, who))  # noqa: S608


def append_only_violations(ws: Any) -> list[str]:
    """The rights the connected role holds on the audit tables beyond INSERT and SELECT
    (``UPDATE audit_log``...): empty when the role serves as :func:`grant_app_role` sets
    it up. The owner of the tables holds them all."""
    found = []
    for table in APPEND_ONLY_TABLES:
        for right in ("UPDATE", "DELETE", "TRUNCATE"):
            row = ws.con.raw.execute(
                "SELECT has_table_privilege(current_user, $1, $2)", [table, right]
            ).fetchone()
            if row and row[0]:
                found.append(f"{right} {table}")
    return found


#: How long a request waits for a pooled connection before it connects on its own.
POOL_WAIT_SECONDS = 1.0
#: How many such extra connections may be open at once (beyond the pool's).
POOL_OVERFLOW = 4
#: How long a direct connection attempt may take.
CONNECT_TIMEOUT_SECONDS = 2


class ServerPool:
    """Pooled connections to one PostgreSQL workspace, for a multi-user server.

    Each :meth:`connection` borrows a connection for the length of a block (one
    request); a connection left inside a transaction is rolled back by the pool.

    After the database server restarts, the pool's idle connections are dead: each
    is checked when borrowed and replaced when broken. The pool reconnects with a
    growing back-off (1 s, 2 s, 4 s...), so after an outage it may still be waiting
    long after the server is back. So a request that gets no pooled connection within
    :data:`POOL_WAIT_SECONDS` while the pool is not simply busy connects on its own,
    and when that works (the database is back) a fresh pool takes the old one's place
    at once. When every pooled connection is lent out, up to :data:`POOL_OVERFLOW`
    requests connect on their own. When the database cannot be reached,
    :class:`~threadline.errors.DatabaseUnavailableError` says so.
    """

    def __init__(self, url: str, *, min_size: int = 1, max_size: int = 8) -> None:
        import threading

        self.url = url
        self.min_size, self.max_size = min_size, max_size
        self._overflow = threading.BoundedSemaphore(POOL_OVERFLOW)
        self._lock = threading.Lock()
        self._lent = 0
        self.renewed = 0  # how many times a fresh pool replaced a reconnecting one
        try:
            self._pool = self._new_pool()
            self._pool.wait(timeout=30)
        except (psycopg.Error, psycopg_pool_errors()) as exc:
            raise WorkspaceError(
                f"cannot open a connection pool on '{safe_url(self.url)}': {str(exc).strip()}"
            ) from exc

    def _new_pool(self) -> ConnectionPool[Any]:
        return ConnectionPool(
            self.url,
            min_size=self.min_size,
            max_size=self.max_size,
            kwargs={"autocommit": True, "cursor_factory": psycopg.RawCursor},
            configure=_session,
            check=ConnectionPool.check_connection,
            open=True,
            name="threadline",
        )

    @contextmanager
    def connection(self) -> Iterator[PgConnection]:
        pool = self._pool
        try:
            conn = pool.getconn(timeout=POOL_WAIT_SECONDS)
        except psycopg_pool_errors():
            conn = None
        if conn is not None:
            with self._lock:
                self._lent += 1
            try:
                yield PgConnection(conn)
            finally:
                with self._lock:
                    self._lent -= 1
                pool.putconn(conn)
            return
        with self._lock:
            busy = self._lent >= self.max_size
        if not self._overflow.acquire(blocking=False):
            raise unavailable(self.url, "every connection is busy")
        try:
            try:
                own = psycopg.connect(
                    self.url,
                    autocommit=True,
                    cursor_factory=psycopg.RawCursor,
                    connect_timeout=CONNECT_TIMEOUT_SECONDS,
                )
                _session(own)
            except psycopg.Error as exc:
                raise unavailable(self.url, str(exc).strip()) from exc
            if not busy:
                self._renew(pool)
            try:
                yield PgConnection(own)
            finally:
                own.close()
        finally:
            self._overflow.release()

    def _renew(self, stale: ConnectionPool[Any]) -> None:
        """The database answers but ``stale`` still waits to reconnect: replace it with a
        fresh pool (which connects at once); ``stale`` closes once its loans are back."""
        import threading

        with self._lock:
            if self._pool is not stale:
                return
            self._pool = self._new_pool()
            self.renewed += 1
        threading.Thread(target=stale.close, kwargs={"timeout": 30}, daemon=True).start()

    def close(self) -> None:
        self._pool.close()


def unavailable(url: str, why: str) -> Exception:
    return DatabaseUnavailableError(
        f"the workspace's database '{safe_url(url)}' cannot be reached ({why}); nothing "
        "was changed: try again in a moment"
    )


def is_unavailable(exc: BaseException) -> bool:
    """Whether ``exc`` means the database went away (a restart, a dropped connection):
    what a request should answer with 503 rather than 500."""
    if isinstance(exc, DatabaseUnavailableError | psycopg_pool_errors()):
        return True
    if isinstance(exc, psycopg.OperationalError):
        return True
    return isinstance(exc, psycopg.InterfaceError)


def psycopg_pool_errors() -> type[BaseException]:
    from psycopg_pool import PoolTimeout

    return PoolTimeout
