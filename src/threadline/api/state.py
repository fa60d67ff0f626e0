"""The workspace behind a running API: one open database, one snapshot.

DuckDB lets one process hold a workspace for writing, so on a folder workspace
the API opens it once and serialises every database use with a lock. On a
PostgreSQL workspace (server mode) each request borrows a connection from a
pool instead, so requests use the database side by side and other threadline
processes may use the same workspace. Reads that matter for speed come from
the in-memory :class:`~threadline.api.snapshot.Snapshot` and need no database.
After a write that changes the network (an asserted tie, a judgement) the
snapshot is rebuilt and swapped in whole, so a request never sees half of one.
"""

from __future__ import annotations

import gc
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from threadline.api.idempotency import claiming
from threadline.api.snapshot import Snapshot, build_snapshot
from threadline.store import Workspace, open_workspace
from threadline.store.notes import Note, list_notes

if TYPE_CHECKING:
    from threadline.store.postgres import ServerPool

_log = logging.getLogger(__name__)


#: A refresh (after a write) sweeps the whole heap for cyclic garbage once in this many.
FULL_SWEEP_EVERY = 25


class Workbench:
    """An open workspace and its current snapshot. Close it when done."""

    #: Whether this is the shared workspace, where a request's id is stored with its
    #: write (:mod:`threadline.api.idempotency`); a user's view is not.
    shared = True

    def __init__(self, location: str | os.PathLike[str], *, pool_size: int = 10) -> None:
        self._lock = threading.RLock()
        self._ws = open_workspace(location)
        #: The folder, or the server URL with any password masked.
        self.root: Path | str = self._ws.root or self._ws.location
        self._pool: ServerPool | None = None
        if self._ws.backend == "postgresql":
            # lazy: psycopg loads only for a PostgreSQL workspace
            from threadline.store.postgres import ServerPool

            try:
                self._pool = ServerPool(str(location), max_size=pool_size)
            except BaseException:
                self._ws.close()
                raise
        self._url = str(location)
        self.cache: dict[Any, Any] = {}  # per-snapshot analysis results (see api.analysis)
        #: Set when re-reading the workspace after a write failed (the database went
        #: away after the write committed): the snapshot or the notes are older than the
        #: workspace until :meth:`catch_up` succeeds.
        self.stale = False
        self.notes_stale = False
        #: Steps run after each successful :meth:`refresh` (the server scans for alerts).
        self.after_refresh: list[Callable[[], None]] = []
        started = time.perf_counter()
        if self._pool is not None:
            # in server mode every connection comes from the pool (which reconnects after
            # a restart of the database); the one that opened and migrated is let go
            self._ws.close()
        with self._reading() as ws:
            self.snapshot: Snapshot = build_snapshot(ws)
        _settle()
        self.load_seconds = time.perf_counter() - started
        self.generation = 1
        self.notes: dict[str, list[Note]] = {}
        self.reload_notes()

    @contextmanager
    def database(self) -> Iterator[Workspace]:
        """The workspace, for this thread alone while the block runs (in server mode
        on a connection of its own from the pool)."""
        if self._pool is not None:
            with self._pool.connection() as con:
                ws = Workspace.on_server(con, self._url, migrate=False)
                if not self.shared:
                    yield ws
                    return
                with claiming(ws):
                    yield ws
            return
        with self._lock:
            if not self.shared:
                yield self._ws
                return
            with claiming(self._ws):
                yield self._ws

    @contextmanager
    def _reading(self) -> Iterator[Workspace]:
        """The workspace to build a snapshot or read the notes from: a pooled connection
        in server mode, else the open workspace (under the lock)."""
        if self._pool is not None:
            with self._pool.connection() as con:
                yield Workspace.on_server(con, self._url, migrate=False)
            return
        with self._lock:
            yield self._ws

    def refresh(self) -> Snapshot:
        """Re-read the workspace after a write and swap the new snapshot in.

        In server mode a write has committed by the time this runs, so a database that
        goes away now must not turn the write's answer into an error: the current
        snapshot is kept, :attr:`stale` is set, and :meth:`catch_up` (which the server
        calls in the background) reads the workspace again once it is back.

        The old snapshot is freed by reference counting as soon as no request holds
        it (it has no reference cycles), frozen or not; so a refresh freezes only the
        new one. Unfreezing everything (the spaCy model, the libraries, the snapshot)
        for a full collection costs some 200 ms of CPU on any workspace, a correction's
        largest cost after the re-run itself; it is done every
        :data:`FULL_SWEEP_EVERY` refreshes, for whatever cyclic garbage a cache left.
        """
        try:
            with self._reading() as ws, self._lock:
                snap = build_snapshot(ws)
                old = self.snapshot.token
                self.snapshot = snap
                self.generation += 1
                self.stale = False
                for key in [k for k in self.cache if isinstance(k, tuple) and old in k]:
                    del self.cache[key]
                if self.generation % FULL_SWEEP_EVERY == 0:
                    gc.unfreeze()
        except Exception as exc:
            if not self._lost(exc):
                raise
            self.stale = True
            return self.snapshot
        _settle()
        for step in list(self.after_refresh):
            try:
                step()
            except Exception:  # the write and its new snapshot stand; the step is retried later
                _log.exception("a step after re-reading the workspace failed")
        return snap

    def reload_notes(self) -> None:
        """Re-read the analyst notes (small: kept in memory, by target); in server mode,
        with the database gone, :attr:`notes_stale` is set instead (see :meth:`refresh`)."""
        try:
            with self._reading() as ws:
                found, _ = list_notes(ws, limit=1_000_000)
        except Exception as exc:
            if not self._lost(exc):
                raise
            self.notes_stale = True
            return
        by_target: dict[str, list[Note]] = {}
        for n in reversed(found):  # oldest first
            by_target.setdefault(n.target, []).append(n)
        self.notes = by_target
        self.notes_stale = False

    def catch_up(self) -> bool:
        """Read the workspace again if a refresh was missed; whether anything was read."""
        done = False
        if self.stale:
            self.refresh()
            done = not self.stale
        if self.notes_stale:
            self.reload_notes()
            done = done or not self.notes_stale
        return done

    def _lost(self, exc: BaseException) -> bool:
        """Whether ``exc`` is the database going away under a server-mode workbench."""
        if self._pool is None:
            return False
        # lazy: psycopg is loaded only in server mode
        from threadline.store.postgres import is_unavailable

        return is_unavailable(exc)

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.close()
            else:
                self._ws.close()
        gc.unfreeze()  # the snapshot may go now


def _settle() -> None:
    """Take the snapshot's millions of long-lived objects out of the garbage collector's
    sweeps (``gc.freeze``): a full collection over them would stall every request for
    a second or two under load. Collects what is not frozen (all of it after an
    ``unfreeze``), then freezes it."""
    gc.collect()
    gc.freeze()
