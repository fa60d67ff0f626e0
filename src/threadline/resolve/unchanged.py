"""Whether a resolve run would rebuild exactly what the workspace already holds.

``threadline records link`` re-resolves the workspace, and the ``resolve`` a user
runs next would rebuild the same entities and ties from the same mentions,
statements, records, links, judgements and corrections. Resolution is a function
of what the workspace stores (and of the code), so a run can be skipped when
nothing stored has changed since the last run ended.

The check is a fingerprint, taken when a run ends and stored in ``meta``, of every
table of the workspace (its rows, whatever their order; :mod:`threadline.store.fingerprints`)
except those resolution neither reads nor writes and that later stages change
(:data:`NOT_READ`: the measures ``analyze`` stores, logs, the original files), plus
the version of the database engine (DuckDB's, or the PostgreSQL server's) and the
stamp of threadline's own files (a new threadline, or an edited one, resolves
again). Every other table counts, so a table added later is covered without a
change here; at worst an unrelated write makes the next run redo its work. The
resolution's own tables (entities, ties, merge steps, watchlist hits) are in the
fingerprint too: whatever changed them since makes the next run rebuild them.

Both backends are fingerprinted. On a server other users write while a run reads
and writes, so a run stores its fingerprint only when what it read is still what
the workspace holds as it ends: the tables it reads (all but :data:`WRITTEN`) have
the digests they had when the run checked for a change, before it read anything.
A write that lands in between leaves no fingerprint, and the next run resolves.

A restricted view (another agency's user: a subclass of the workspace, built from
the rows that user may see) is never fingerprinted and always resolves: no skip
may depend on rows the user does not see.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

from threadline.store import Workspace
from threadline.store.fingerprints import delete_meta, engine_version, table_digests
from threadline.store.records import FINGERPRINT_KEY as LINKS_KEY

#: The ``meta`` key under which the last run's fingerprint and counts are kept.
META_KEY = "resolve_fingerprint"
#: Tables resolution does not read, written by the stages after it or by every
#: command, and the original files of a server workspace (``blobs``: resolution
#: reads the documents' text, and a file changes only with its ``documents`` row).
NOT_READ = frozenset(
    {"metrics", "stage_log", "audit_log", "audit_head", "audit_heads", "request_ids", "blobs"}
)
#: What a resolve run itself writes (the linkage of changed records included): left
#: out when the run checks that what it read has not changed meanwhile. A table
#: missing here only costs a rebuild (the run stores no fingerprint).
WRITTEN = frozenset(
    {
        "entities",
        "entity_mentions",
        "ties",
        "merge_steps",
        "correction_status",
        "watchlist_hits",
        "record_links",
        f"meta.{LINKS_KEY}",
    }
)

#: The digests a run saw when it found the workspace changed (before it read
#: anything), by workspace, until :func:`remember` compares them with the end's.
_SEEN: WeakKeyDictionary[Workspace, list[list[Any]]] = WeakKeyDictionary()


@lru_cache(maxsize=1)
def _code_stamp() -> str:
    """Size and modification time of every file of the threadline package."""
    import threadline  # the package's own folder and version, read once

    root = Path(threadline.__file__).parent
    digest = hashlib.sha256(threadline.__version__.encode())
    for path in sorted(root.rglob("*")):
        if path.suffix in {".py", ".yaml", ".yml", ".json", ".tsv", ".txt"}:
            st = path.stat()
            digest.update(f"{path.relative_to(root)}:{st.st_size}:{st.st_mtime_ns};".encode())
    return digest.hexdigest()


def _eligible(ws: Workspace) -> bool:
    return type(ws) is Workspace


def _digests(ws: Workspace) -> list[list[Any]]:
    return table_digests(ws, NOT_READ, left_out=META_KEY, apart=[LINKS_KEY])


def _fingerprint(ws: Workspace, digests: list[list[Any]]) -> str:
    parts: list[Any] = [ws.backend, engine_version(ws), _code_stamp(), *digests]
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def _read(digests: list[list[Any]]) -> list[list[Any]]:
    return [d for d in digests if d[0] not in WRITTEN]


def fingerprint(ws: Workspace) -> str | None:
    """The fingerprint of what resolution reads and writes, or ``None`` where
    it is not taken (a restricted view)."""
    if not _eligible(ws):
        return None
    return _fingerprint(ws, _digests(ws))


def stored_counts(ws: Workspace) -> dict[str, int] | None:
    """The counts of the last resolve run when nothing it depends on has changed
    since it ended; ``None`` when the workspace must be resolved."""
    if not _eligible(ws) or ws in _SEEN:  # already found changed, not resolved since
        return None
    value = ws.meta(META_KEY)
    stored: Any = None
    if value:
        try:
            stored = json.loads(value)
        except ValueError:
            stored = None
    digests = _digests(ws)
    if not isinstance(stored, dict) or stored.get("fingerprint") != _fingerprint(ws, digests):
        _SEEN[ws] = digests
        return None
    counts = stored.get("counts")
    if not isinstance(counts, dict):
        _SEEN[ws] = digests
        return None
    return dict(counts)


def remember(ws: Workspace, counts: dict[str, int]) -> None:
    """Store the fingerprint of the workspace as a resolve run leaves it, with its
    counts, when what the run read has not changed since it checked (see above);
    otherwise drop the stored one."""
    if not _eligible(ws):
        return
    before = _SEEN.pop(ws, None)
    with ws.transaction():
        delete_meta(ws, META_KEY)
        digests = _digests(ws)
        if before is None or _read(before) != _read(digests):
            return  # a write landed meanwhile: the next run resolves
        value = {"fingerprint": _fingerprint(ws, digests), "counts": counts}
        ws.set_meta(META_KEY, json.dumps(value))


def begin(ws: Workspace) -> None:
    """Note what a forced run is about to read (a check that finds a change notes it
    itself), so that the run can store its fingerprint when it ends."""
    if _eligible(ws):
        _SEEN[ws] = _digests(ws)


def abandon(ws: Workspace) -> None:
    """A run that failed: what it saw is dropped, and the next check looks again."""
    _SEEN.pop(ws, None)


def forget(ws: Workspace) -> None:
    """Drop the stored fingerprint: the next run resolves whatever it finds."""
    if _eligible(ws):
        _SEEN.pop(ws, None)
        delete_meta(ws, META_KEY)
