"""The API's one audit writer: every record the server logs goes through :class:`AuditWriter`.

A change (a judgement, a share, a login) is logged at once, before it is answered; a read
(a search, an entity opened) is put in a buffer that a background thread writes every
200 ms in one transaction, so auditing does not serialise the readers on the database.
Either way the records are chained and appended by :func:`threadline.security.audit.
record_many`, which the command line and the alert scanner (whose records must land in
the transaction of what they log) call too: nothing else appends to the log.
"""

from __future__ import annotations

import logging
import queue
import threading
from typing import Any

from threadline.api.state import Workbench
from threadline.security import Principal
from threadline.security import audit as audit_log

#: How often the background thread writes the buffered records, in seconds.
FLUSH_SECONDS = 0.2
#: Tries of a record the database refuses before it is replaced by one naming the failure.
TRIES = 3
_log = logging.getLogger(__name__)


class AuditWriter:
    """Appends the API's audit records to the log of the shared workspace ``home``."""

    def __init__(self, home: Workbench) -> None:
        self.home = home
        self._buffer: queue.SimpleQueue[dict[str, Any]] = queue.SimpleQueue()
        self._flusher: threading.Thread | None = None
        self._lock = threading.Lock()
        self._stopped = threading.Event()

    def record(
        self,
        who: Principal,
        action: str,
        target: str | None,
        detail: dict[str, Any] | None = None,
        *,
        now: bool = True,
    ) -> None:
        """Log what ``who`` did: at once (``now``), or through the buffer (reads)."""
        self.write(who.name, who.agency, action, target, detail, now=now)

    def write(
        self,
        actor: str,
        agency: str | None,
        action: str,
        target: str | None,
        detail: dict[str, Any] | None = None,
        *,
        now: bool = True,
    ) -> None:
        """Log an action by ``actor`` (a user's name, or what stands for an unknown one)."""
        item: dict[str, Any] = {
            "actor": actor,
            "agency": agency,
            "action": action,
            "target": target,
            "detail": detail or {},
        }
        if now:
            self._append([item])
            return
        self._buffer.put(item)
        if self._flusher is None:
            with self._lock:
                if self._flusher is None:
                    self._flusher = threading.Thread(
                        target=self._flush_loop, name="audit", daemon=True
                    )
                    self._flusher.start()

    def _flush_loop(self) -> None:
        while not self._stopped.wait(FLUSH_SECONDS):
            try:
                self.flush()
            except Exception:  # the thread must live on: later records still need writing
                _log.exception("audit records could not be written; retrying")

    def flush(self) -> None:
        """Write the buffered records: in one transaction, or, when that fails, one by one,
        so a record the database refuses cannot take the others with it. A record that
        fails alone is tried again at the next flush; after a third failure a record
        saying which action could not be logged, and why, takes its place."""
        items = []
        while True:
            try:
                items.append(self._buffer.get_nowait())
            except queue.Empty:
                break
        if not items:
            return
        try:
            self._append(items)
            return
        except Exception:
            _log.warning("a batch of %d audit records failed; writing them one by one", len(items))
        for item in items:
            try:
                self._append([item])
            except Exception as exc:
                tries = int(item.pop("_tries", 0)) + 1
                if tries < TRIES:
                    self._buffer.put({**item, "_tries": tries})
                    continue
                self._append(
                    [
                        {
                            "actor": item["actor"],
                            "agency": item["agency"],
                            "action": "audit.unwritable",
                            "target": None,
                            "detail": {"action": item["action"], "error": str(exc)[:300]},
                        }
                    ]
                )

    def _append(self, items: list[dict[str, Any]]) -> None:
        with self.home.database() as ws:
            audit_log.record_many(
                ws, [{k: v for k, v in i.items() if k != "_tries"} for i in items]
            )

    def stop(self) -> None:
        """Stop the background thread (the buffer is then written only by :meth:`flush`)."""
        self._stopped.set()

    def close(self) -> None:
        self.stop()
        self.flush()
