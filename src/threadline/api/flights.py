"""Single flight: while one request recomputes an expired cache entry (a credential, a
scope), the others with the same key wait for its answer instead of all asking the
database."""

from __future__ import annotations

import threading
from collections.abc import Hashable

#: Keys kept before the table is emptied (a lock no one holds is cheap to make again).
MAX_KEYS = 10_000


class Flights:
    """The lock of each key, made on first use."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._locks: dict[Hashable, threading.Lock] = {}

    def __call__(self, key: Hashable) -> threading.Lock:
        with self._lock:
            if len(self._locks) > MAX_KEYS:
                self._locks.clear()
            return self._locks.setdefault(key, threading.Lock())
