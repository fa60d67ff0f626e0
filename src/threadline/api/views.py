"""What each user sees: their scope and the workbench over their view.

A user's *scope* is the documents they may see and the agencies whose work they are
shown (cached :data:`SCOPE_CACHE_SECONDS`, one request asking while the others wait).
A scope that sees everything reads the shared workbench; any other is answered from a
*view*: a workspace built only from what it may see (:mod:`threadline.security.visibility`),
shared by every user with the same scope, and built again after a write.
"""

from __future__ import annotations

import shutil
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from threadline.api.flights import Flights
from threadline.api.state import Workbench
from threadline.pipeline.views import build_view
from threadline.security import Principal
from threadline.security.derived import Sight, basis_of_text, keep_notes, workspace_names
from threadline.security.visibility import (
    Scope,
    replace_notes,
    scope_of,
    scratch_root,
    sees_everything,
    visible_notes,
)
from threadline.store import Workspace, lookups, open_workspace

#: How long a user's scope is trusted without asking the database again.
SCOPE_CACHE_SECONDS = 5.0


class ViewWorkbench(Workbench):
    """A :class:`Workbench` over a user's view: reads are the view's; writes go to the
    shared workspace (:meth:`writer`), after which every view is built again."""

    shared = False  # a request's id is stored with its write to the shared workspace

    def __init__(self, views: Views, scope: Scope) -> None:
        self.views = views
        self.home = views.home
        self.scope = scope
        self.view_root = self._build()
        super().__init__(self.view_root)

    def _build(self) -> Path:
        root = scratch_root(self.views.scratch, "v")
        target = root / "ws"
        with self.home.database() as ws:
            build_view(ws, self.scope, target, default_agency=self.views.default_agency)
        return target

    @contextmanager
    def writer(self) -> Iterator[Workspace]:
        with self.home.database() as ws:
            yield ws

    def refresh(self) -> Any:
        """After a write: the shared workspace is re-read, and this view built again.
        With the database gone meanwhile (the write has committed), the view is marked
        stale instead and built again on its next use."""
        self.home.refresh()
        self.views.invalidate(keep=self)
        old_root = self.view_root
        try:
            new_root = self._build()
        except Exception as exc:
            if not self.home._lost(exc):
                raise
            self.stale = self.home.stale = True  # every view is built again after catching up
            return self.snapshot
        with self._lock:
            self._ws.close()
            self._ws = open_workspace(new_root)
            self.view_root = self.root = new_root
        snap = super().refresh()
        self.reload_notes()
        shutil.rmtree(old_root.parent, ignore_errors=True)
        return snap

    def sync_notes(self) -> None:
        """Copy the notes this view may show from the shared workspace again (after a
        note was written or retracted: nothing else changes, nothing is built again)."""
        try:
            with self.home.database() as ws:
                rows = visible_notes(ws, self.scope, self.views.default_agency)
                with self._lock:
                    replace_notes(self._ws, keep_notes(self._ws, ws, rows))
        except Exception as exc:
            if not self.home._lost(exc):
                raise
            self.stale = self.home.stale = True  # every view is built again after catching up
            return
        self.reload_notes()

    def discard(self) -> None:
        self.close()
        shutil.rmtree(self.view_root.parent, ignore_errors=True)


#: The views of each shared workbench (a write through it must reach them).
_VIEWS: weakref.WeakKeyDictionary[Workbench, Views] = weakref.WeakKeyDictionary()


class Views:
    """The scopes and views of the users of one shared workbench ``home``."""

    def __init__(self, home: Workbench, *, default_agency: str) -> None:
        self.home = home
        self.default_agency = default_agency
        #: Where views are built (default: the system's temporary folder).
        self.scratch: str | None = None
        self._views: dict[Any, ViewWorkbench] = {}
        #: Scopes that see everything: their users read the shared workbench.
        self._everything: set[Any] = set()
        self._lock = threading.Lock()
        self._building: dict[Any, threading.Lock] = {}
        self._scopes: dict[str, tuple[float, int, Scope]] = {}
        self._flight = Flights()
        _VIEWS[home] = self

    def scope(self, who: Principal) -> Scope:
        """What ``who`` sees: the documents and the agencies whose work (cached 5 s)."""
        cached = self._scopes.get(who.name)
        if cached and cached[0] > time.monotonic() and cached[1] == self.home.generation:
            return cached[2]
        with self._flight(("scope", who.name)):
            cached = self._scopes.get(who.name)
            if cached and cached[0] > time.monotonic() and cached[1] == self.home.generation:
                return cached[2]
            return self._new_scope(who)

    def _new_scope(self, who: Principal) -> Scope:
        generation = self.home.generation
        with self.home.database() as ws:
            scope = scope_of(ws, who, self.default_agency)
        self._scopes[who.name] = (time.monotonic() + SCOPE_CACHE_SECONDS, generation, scope)
        return scope

    def forget_scopes(self) -> None:
        """Ask the database again what each user sees."""
        self._scopes.clear()

    def is_everything(self, scope: Scope) -> bool:
        """Whether ``scope`` sees every source and all analyst work: the shared workbench."""
        with self.home.database() as ws:
            return sees_everything(ws, scope, self.default_agency)

    def view(self, who: Principal) -> Workbench:
        """The workbench ``who`` reads from (built on first use, then shared)."""
        if who.all_seeing:
            return self.home
        scope = self.scope(who)
        key = scope.key()
        view = self._views.get(key)
        if view is not None:
            return view
        if key in self._everything:
            return self.home
        with self._lock:
            lock = self._building.setdefault(key, threading.Lock())
        with lock:
            view = self._views.get(key)
            if view is None:
                if key in self._everything or self.is_everything(scope):
                    self._everything.add(key)  # asked once per scope, not per request
                    return self.home
                view = ViewWorkbench(self, scope)
                with self._lock:
                    self._views[key] = view
        return view

    def built(self) -> dict[Any, ViewWorkbench]:
        """The views built so far, by their scope's key."""
        with self._lock:
            return dict(self._views)

    def sight(self, who: Principal) -> Sight:
        """What ``who`` sees against all the workspace holds (:class:`~threadline.security.
        derived.Sight`), for the derived-work rule on records that are not in a view."""
        home, wb = self.home, self.view(who)
        every = home.snapshot
        mine = wb.snapshot
        with home.database() as ws:
            docs = frozenset(lookups.document_ids(ws))
        return Sight(
            all_documents=docs,
            documents=frozenset(self.scope(who).documents),
            all_ids=frozenset(every.index) | frozenset(every.tie_index),
            ids=frozenset(mine.index) | frozenset(mine.tie_index),
            all_names=frozenset(known_names(home)),
            names=frozenset(known_names(wb)),
        )

    def notes_changed(self) -> None:
        """After a note was written or retracted: the shared workbench and every view
        re-read their notes (each view only those of the agencies whose work it shows)."""
        self.home.reload_notes()
        for v in self.built().values():
            v.sync_notes()

    def invalidate(self, keep: ViewWorkbench | None = None) -> None:
        """Drop every view (after a write or a permission change); they are rebuilt on use."""
        with self._lock:
            old = [v for v in self._views.values() if v is not keep]
            self._views = {k: v for k, v in self._views.items() if v is keep}
            self._everything.clear()
            self._scopes.clear()
        for v in old:
            v.discard()


def views_of(home: Workbench) -> Views | None:
    """The views over the shared workbench ``home`` (None without access control)."""
    return _VIEWS.get(home)


def known_names(wb: Workbench) -> set[str]:
    """The names the workbench (a user's view) shows, as the derived-work rule keys them."""
    key = ("known_names", wb.snapshot.token)
    found: set[str] | None = wb.cache.get(key)
    if found is None:
        with wb.database() as ws:
            found = workspace_names(ws)
        wb.cache[key] = found
    return found


def names_in(wb: Workbench, *texts: str | None) -> list[str]:
    """The names of the caller's view that ``texts`` contain."""
    return basis_of_text(known_names(wb), *texts)
