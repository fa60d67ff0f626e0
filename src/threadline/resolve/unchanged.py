"""Whether a resolve run would rebuild exactly what the workspace already holds.

``threadline records link`` re-resolves the workspace, and the ``resolve`` a user
runs next would rebuild the same entities and ties from the same mentions,
statements, records, links, judgements and corrections. Resolution is a function
of what the workspace stores (and of the code), so a run can be skipped when
nothing stored has changed since the last run ended.

The check is a fingerprint, taken when a run ends and stored in ``meta``, of every
table of the workspace (its rows, whatever their order) except those resolution
neither reads nor writes and that later stages change (:data:`NOT_READ`: the
measures ``analyze`` stores, logs), plus the version of DuckDB and the stamp of
threadline's own files (a new threadline, or an edited one, resolves again).
Every other table counts, so a table added later is covered without a change
here; at worst an unrelated write makes the next run redo its work. The
resolution's own tables (entities, ties, merge steps, watchlist hits) are in the
fingerprint too: whatever changed them since makes the next run rebuild them.

Only the embedded workspace (one DuckDB file) is fingerprinted; a server
workspace, or a restricted view of one, always resolves.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from threadline.store import Workspace
from threadline.store.fingerprints import delete_meta, table_digests

#: The ``meta`` key under which the last run's fingerprint and counts are kept.
META_KEY = "resolve_fingerprint"
#: Tables resolution does not read, written by the stages after it or by every command.
NOT_READ = frozenset(
    {"metrics", "stage_log", "audit_log", "audit_head", "audit_heads", "request_ids"}
)


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
    return type(ws) is Workspace and ws.backend == "duckdb"


def fingerprint(ws: Workspace) -> str | None:
    """The fingerprint of what resolution reads and writes, or ``None`` where
    it is not taken (a server workspace, a restricted view)."""
    if not _eligible(ws):
        return None
    import duckdb

    parts: list[Any] = [duckdb.__version__, _code_stamp()]
    parts += table_digests(ws, NOT_READ, META_KEY)
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def stored_counts(ws: Workspace) -> dict[str, int] | None:
    """The counts of the last resolve run when nothing it depends on has changed
    since it ended; ``None`` when the workspace must be resolved."""
    if not _eligible(ws):
        return None
    value = ws.meta(META_KEY)
    if not value:
        return None
    try:
        stored = json.loads(value)
    except ValueError:
        return None
    if not isinstance(stored, dict) or stored.get("fingerprint") != fingerprint(ws):
        return None
    counts = stored.get("counts")
    return dict(counts) if isinstance(counts, dict) else None


def remember(ws: Workspace, counts: dict[str, int]) -> None:
    """Store the fingerprint of the workspace as a resolve run leaves it, with its counts."""
    if not _eligible(ws):
        return
    with ws.transaction():
        delete_meta(ws, META_KEY)
        ws.set_meta(META_KEY, json.dumps({"fingerprint": fingerprint(ws), "counts": counts}))


def forget(ws: Workspace) -> None:
    """Drop the stored fingerprint: the next run resolves whatever it finds."""
    if _eligible(ws):
        delete_meta(ws, META_KEY)
