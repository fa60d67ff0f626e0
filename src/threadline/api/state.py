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
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from threadline.api.snapshot import Snapshot, build_snapshot
from threadline.store import Workspace, open_workspace
from threadline.store.notes import Note, list_notes

if TYPE_CHECKING:
    from threadline.store.postgres import ServerPool


#: A refresh (after a write) sweeps the whole heap for cyclic garbage once in this many.
FULL_SWEEP_EVERY = 25


class Workbench:
    """An open workspace and its current snapshot. Close it when done."""

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
        started = time.perf_counter()
        self.snapshot: Snapshot = build_snapshot(self._ws)
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
                yield Workspace.on_server(con, self._url, migrate=False)
            return
        with self._lock:
            yield self._ws

    def refresh(self) -> Snapshot:
        """Re-read the workspace after a write and swap the new snapshot in.

        The old snapshot is freed by reference counting as soon as no request holds
        it (it has no reference cycles), frozen or not; so a refresh freezes only the
        new one. Unfreezing everything (the spaCy model, the libraries, the snapshot)
        for a full collection costs some 200 ms of CPU on any workspace, a correction's
        largest cost after the re-run itself; it is done every
        :data:`FULL_SWEEP_EVERY` refreshes, for whatever cyclic garbage a cache left.
        """
        with self._lock:
            snap = build_snapshot(self._ws)
            old = self.snapshot.token
            self.snapshot = snap
            self.generation += 1
            for key in [k for k in self.cache if isinstance(k, tuple) and old in k]:
                del self.cache[key]
            if self.generation % FULL_SWEEP_EVERY == 0:
                gc.unfreeze()
        _settle()
        return snap

    def reload_notes(self) -> None:
        """Re-read the analyst notes (small: kept in memory, by target)."""
        with self._lock:
            found, _ = list_notes(self._ws, limit=1_000_000)
        by_target: dict[str, list[Note]] = {}
        for n in reversed(found):  # oldest first
            by_target.setdefault(n.target, []).append(n)
        self.notes = by_target

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.close()
            self._ws.close()
        gc.unfreeze()  # the snapshot may go now


def _settle() -> None:
    """Take the snapshot's millions of long-lived objects out of the garbage collector's
    sweeps (``gc.freeze``): a full collection over them would stall every request for
    a second or two under load. Collects what is not frozen (all of it after an
    ``unfreeze``), then freezes it."""
    gc.collect()
    gc.freeze()
