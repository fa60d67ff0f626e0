"""Authentication for the API: who is calling, from a bearer token or the session cookie.

A checked credential is trusted for :data:`CREDENTIAL_CACHE_SECONDS` without asking the
database again (one request asks while the others with the same secret wait); a browser
session's state-changing requests must carry its CSRF token in ``X-CSRF-Token``. A login
checks the password (:func:`threadline.security.users.login`) and is logged, failed or not.
"""

from __future__ import annotations

import hmac
import time

from fastapi import Request

from threadline.api.audit_writer import AuditWriter
from threadline.api.flights import Flights
from threadline.api.state import Workbench
from threadline.security import AuthenticationError, CsrfError, Principal
from threadline.security.users import Credential, Login, authenticate, find_user, login

SESSION_COOKIE = "threadline_session"
CSRF_COOKIE = "threadline_csrf"
CSRF_HEADER = "x-csrf-token"
#: How long a checked credential is trusted without asking the database again.
CREDENTIAL_CACHE_SECONDS = 5.0
#: Credentials kept in the cache before it is emptied.
MAX_CACHED = 10_000


class Authenticator:
    """Checks the credentials of requests to the application over the workbench ``home``."""

    def __init__(self, home: Workbench, auditor: AuditWriter) -> None:
        self.home = home
        self.auditor = auditor
        self._credentials: dict[str, tuple[float, Principal, Credential]] = {}
        self._flight = Flights()

    def principal(self, request: Request, *, unsafe: bool) -> tuple[Principal, Credential]:
        """Authenticate the request; raises :class:`AuthenticationError` (401), or
        :class:`CsrfError` for a session's change without its CSRF token."""
        header = request.headers.get("authorization", "")
        via_cookie = False
        if header[:7].lower() == "bearer ":
            secret, kind = header[7:].strip(), "token"
        else:
            secret, kind = request.cookies.get(SESSION_COOKIE, ""), "session"
            via_cookie = True
        if not secret:
            raise AuthenticationError("log in first: POST /api/auth/login, or send a bearer token")
        found = self._credentials.get(secret)
        if found is None or found[0] < time.monotonic():
            with self._flight(("credential", secret)):  # one check for all waiting requests
                found = self._credentials.get(secret)
                if found is None or found[0] < time.monotonic():
                    with self.home.database() as ws:
                        user, cred = authenticate(ws, secret, kind=kind)
                    found = (time.monotonic() + CREDENTIAL_CACHE_SECONDS, user.principal(), cred)
                    if len(self._credentials) > MAX_CACHED:
                        self._credentials.clear()
                    self._credentials[secret] = found
        _, who, cred = found
        if via_cookie and unsafe:
            sent = request.headers.get(CSRF_HEADER, "")
            if not (cred.csrf and sent and hmac.compare_digest(sent, cred.csrf)):
                raise CsrfError(
                    "this request changes data and needs the session's CSRF token in the "
                    "X-CSRF-Token header (the page sends it; a link from another site cannot)"
                )
        return who, cred

    def forget(self, secret: str | None = None) -> None:
        """Ask the database again about ``secret`` (after a logout), or about every
        credential (after a token was revoked or a user disabled)."""
        if secret is None:
            self._credentials.clear()
        else:
            self._credentials.pop(secret, None)

    def login(self, name: str, password: str, *, address: str) -> Login:
        """Check the password and open a session; the login is logged, and so is a failed
        one: what was typed is kept only when it is a user's name (a password typed into
        the name field is never stored), under that user's agency."""
        done: Login | None = None
        with self.home.database() as ws:
            try:
                done = login(ws, name, password, address=address)
            except Exception as exc:
                failed, known = exc, find_user(ws, name)
        if done is None:
            self.auditor.write(
                known.name if known else "(unknown user)",
                known.agency if known else None,
                "login.failed",
                address,
                {"why": type(failed).__name__},
            )
            raise failed
        self.auditor.write(done.user.name, done.user.agency, "login", address)
        return done
