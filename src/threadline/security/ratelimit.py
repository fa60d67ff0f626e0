"""Rate limits of the server: token buckets per user and per address (issue 24).

Each bucket holds up to ``burst`` requests and refills at ``burst / seconds`` per
second; a request takes one token, and a request that finds the bucket empty is
refused with HTTP 429 (code ``T930``) and a ``Retry-After`` header saying when a
token will be there. The buckets are chosen so that nobody is refused for what
someone else does:

- a request with valid credentials counts against its **user** only (many users
  behind one proxy share an address, never a bucket);
- a request to the API without valid credentials (a stranger, a bad token)
  counts against its **address**, which locks out no user who logs in and then
  sends their token;
- a login counts against the pair (address, user name typed): a flood of logins
  for invented names does not lock a real user's login (the failed-login
  back-off of :func:`threadline.security.users.login` still applies).

Limits come from the environment (``BURST/SECONDS``; ``off`` for none), read
when the application starts: ``THREADLINE_RATE_USER`` (default ``3000/60``),
``THREADLINE_RATE_ADDRESS`` (default ``600/60``), ``THREADLINE_RATE_LOGIN``
(default ``30/60``).

>>> limits = Limiter(Rate(2, 60))
>>> limits.take("ana", now=0.0), limits.take("ana", now=0.0)
(0.0, 0.0)
>>> limits.take("ana", now=0.0)  # empty: a token comes back in 30 s
30.0
>>> limits.take("bob", now=0.0)  # another bucket
0.0
"""

from __future__ import annotations

import math
import os
import threading
import time
from dataclasses import dataclass

from threadline.errors import InvalidValueError
from threadline.security import TooManyRequestsError

USER_ENV = "THREADLINE_RATE_USER"
ADDRESS_ENV = "THREADLINE_RATE_ADDRESS"
LOGIN_ENV = "THREADLINE_RATE_LOGIN"
DEFAULTS = {USER_ENV: "3000/60", ADDRESS_ENV: "600/60", LOGIN_ENV: "30/60"}
#: Buckets kept at most; full ones are forgotten first (a full bucket is the default).
MAX_BUCKETS = 100_000


@dataclass(frozen=True)
class Rate:
    """``burst`` requests at once, ``burst`` per ``seconds`` in the long run."""

    burst: float
    seconds: float

    @property
    def per_second(self) -> float:
        return self.burst / self.seconds

    @classmethod
    def parse(cls, text: str, *, name: str = "rate") -> Rate | None:
        """``"120/60"`` -> 120 per minute; ``"off"`` (or ``0``) -> no limit."""
        text = text.strip().lower()
        if text in ("off", "0", "none", ""):
            return None
        try:
            burst, seconds = (float(p) for p in text.split("/", 1))
        except ValueError:
            raise InvalidValueError(
                name, f"'{text}' is not BURST/SECONDS (e.g. 120/60) or 'off'"
            ) from None
        if not (burst >= 1 and seconds > 0 and math.isfinite(burst) and math.isfinite(seconds)):
            raise InvalidValueError(name, f"'{text}': BURST must be >= 1 and SECONDS > 0")
        return cls(burst, seconds)


class Limiter:
    """Token buckets of one rate, by key; thread-safe."""

    def __init__(self, rate: Rate) -> None:
        self.rate = rate
        self._buckets: dict[object, tuple[float, float]] = {}  # key -> (tokens, at)
        self._lock = threading.Lock()

    def take(self, key: object, *, now: float | None = None) -> float:
        """Take a token for ``key``: 0.0 when there was one, else the seconds until one."""
        at = time.monotonic() if now is None else now
        rate = self.rate
        with self._lock:
            tokens, then = self._buckets.get(key, (rate.burst, at))
            tokens = min(rate.burst, tokens + (at - then) * rate.per_second)
            if tokens >= 1.0:
                self._buckets[key] = (tokens - 1.0, at)
                if len(self._buckets) > MAX_BUCKETS:
                    self._forget(at)
                return 0.0
            self._buckets[key] = (tokens, at)
            return (1.0 - tokens) / rate.per_second

    def _forget(self, at: float) -> None:
        full = [
            k
            for k, (tokens, then) in self._buckets.items()
            if tokens + (at - then) * self.rate.per_second >= self.rate.burst
        ]
        for k in full:
            del self._buckets[k]
        if len(self._buckets) > MAX_BUCKETS:  # still too many: start afresh
            self._buckets.clear()


@dataclass
class RateLimits:
    """The server's three limits (None: not limited)."""

    user: Limiter | None
    address: Limiter | None
    login: Limiter | None

    @classmethod
    def from_env(cls) -> RateLimits:
        def one(env: str) -> Limiter | None:
            rate = Rate.parse(os.environ.get(env, DEFAULTS[env]), name=env)
            return Limiter(rate) if rate else None

        return cls(one(USER_ENV), one(ADDRESS_ENV), one(LOGIN_ENV))

    @classmethod
    def none(cls) -> RateLimits:
        return cls(None, None, None)


def check(limiter: Limiter | None, key: object, what: str) -> None:
    """Take a token from ``limiter`` for ``key``, or raise :class:`TooManyRequestsError`."""
    if limiter is None:
        return
    wait = limiter.take(key)
    if wait > 0:
        raise TooManyRequestsError(
            f"too many requests {what}: try again in {math.ceil(wait)} s",
            retry_after=math.ceil(wait),
        )
