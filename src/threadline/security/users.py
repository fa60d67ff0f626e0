"""Agencies, users, passwords, API tokens, browser sessions and login rate limiting.

Passwords are stored as argon2id hashes (argon2-cffi). API tokens and session ids
are 256-bit random secrets shown once; only their SHA-256 is stored, so a copy
of the database gives no usable credential. A browser session carries a CSRF
token that every state-changing request must echo in ``X-CSRF-Token``.

>>> import tempfile
>>> from threadline.store import open_workspace
>>> ws = open_workspace(tempfile.mkdtemp() + "/ws", create=True)
>>> add_agency(ws, "police", "City Police")
>>> u = add_user(ws, "ana", agency="police", role="analyst", password="correct horse 7")
>>> login(ws, "ana", "correct horse 7", address="127.0.0.1").user.name
'ana'
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from threadline.errors import InvalidValueError, NotFoundError
from threadline.security import ROLES, AuthenticationError, Principal, RateLimitedError
from threadline.store import Workspace
from threadline.store import users as rows
from threadline.store.classification import levels as level_rows
from threadline.store.users import Credential as Credential  # re-exported: the API's type

#: Failed logins allowed per user name (and, ten times as many, per address) in the window.
MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
#: Lifetimes of a browser session and (by default) of an API token.
SESSION_TTL = timedelta(hours=8)
TOKEN_TTL = timedelta(days=90)
MIN_PASSWORD = 10
NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")

_HASHER = PasswordHasher()
#: Verified against when the user does not exist, so timing does not tell names apart.
_DUMMY_HASH = _HASHER.hash("threadline-no-such-user")


def now() -> datetime:
    return datetime.now(UTC)


def iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _check_name(field: str, value: str) -> str:
    if not NAME_PATTERN.match(value or ""):
        raise InvalidValueError(
            field, f"'{value}' is not a valid name: use 1-64 lower-case letters, digits, . _ -"
        )
    return value


@dataclass(frozen=True)
class User(rows.UserRow):
    """A user account (as stored, without the password hash)."""

    @classmethod
    def of(cls, row: rows.UserRow) -> User:
        return cls(**{f.name: getattr(row, f.name) for f in fields(rows.UserRow)})

    def principal(self) -> Principal:
        return Principal(
            name=self.name,
            agency=self.agency,
            role=self.role,
            clearance=self.clearance,
            compartments=self.compartments,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "agency": self.agency,
            "role": self.role,
            "clearance": self.clearance,
            "compartments": sorted(self.compartments),
            "disabled": self.disabled,
            "created_at": self.created_at,
        }


@dataclass(frozen=True)
class Login:
    user: User
    secret: str  # the session id: goes into the cookie, never stored
    credential: Credential


# -- agencies --------------------------------------------------------------------------


def add_agency(ws: Workspace, name: str, title: str = "", *, default: bool = False) -> None:
    """Create an agency. The first agency becomes the default one: the owner of sources
    that were never classified, and of analyst work done before users existed."""
    _check_name("agency", name)
    with ws.transaction():
        if rows.agency_exists(ws, name):
            raise InvalidValueError("agency", f"agency '{name}' already exists")
        first = not rows.has_agencies(ws)
        rows.insert_agency(
            ws, name, title or name, is_default=bool(default or first), created_at=iso(now())
        )


def agencies(ws: Workspace) -> list[dict[str, Any]]:
    return [
        {"name": a.name, "title": a.title, "default": a.default, "created_at": a.created_at}
        for a in rows.list_agencies(ws)
    ]


def default_agency(ws: Workspace) -> str | None:
    return rows.default_agency_name(ws)


def require_agency(ws: Workspace, name: str) -> str:
    if not rows.agency_exists(ws, name):
        raise NotFoundError(f"agency '{name}' does not exist; add it with 'threadline agency add'")
    return name


# -- users -----------------------------------------------------------------------------


def has_users(ws: Workspace) -> bool:
    """Whether access control is on: a workspace with users requires logins."""
    return rows.has_users(ws)


def add_user(
    ws: Workspace,
    name: str,
    *,
    agency: str,
    role: str,
    password: str,
    clearance: str | None = None,
    compartments: frozenset[str] | set[str] = frozenset(),
) -> User:
    """Create a user of ``agency``. ``clearance`` defaults to the lowest level."""
    _check_name("user", name)
    if role not in ROLES:
        raise InvalidValueError("role", f"'{role}' is not a role: use {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise InvalidValueError("password", f"use at least {MIN_PASSWORD} characters")
    levels = [name for name, _ in level_rows(ws)]  # lowest first
    level = clearance or levels[0]
    if level not in levels:
        raise InvalidValueError("clearance", f"'{level}' is not a level: use {', '.join(levels)}")
    comps = frozenset(c.strip() for c in compartments if c.strip())
    with ws.transaction():
        require_agency(ws, agency)
        if rows.user_exists(ws, name):
            raise InvalidValueError("user", f"user '{name}' already exists")
        row = rows.UserRow(name, agency, role, level, comps, False, iso(now()))
        rows.insert_user(ws, row, _HASHER.hash(password))
    return get_user(ws, name)


def get_user(ws: Workspace, name: str) -> User:
    row = rows.user_row(ws, name)
    if row is None:
        raise NotFoundError(f"user '{name}' does not exist; list users with 'threadline user list'")
    return User.of(row)


def find_user(ws: Workspace, name: str) -> User | None:
    """The user called ``name``, or None."""
    row = rows.user_row(ws, name)
    return None if row is None else User.of(row)


def users(ws: Workspace, *, agency: str | None = None) -> list[User]:
    return [User.of(r) for r in rows.user_rows(ws, agency=agency)]


def set_disabled(ws: Workspace, name: str, disabled: bool = True) -> User:
    """Disable (or re-enable) a user; disabling also revokes every session and token."""
    get_user(ws, name)
    rows.set_user_disabled(ws, name, disabled, at=iso(now()))
    return get_user(ws, name)


def set_password(ws: Workspace, name: str, password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidValueError("password", f"use at least {MIN_PASSWORD} characters")
    get_user(ws, name)
    rows.set_password_hash(ws, name, _HASHER.hash(password))


# -- credentials -----------------------------------------------------------------------


def _digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def issue(
    ws: Workspace,
    user: str,
    *,
    kind: str,
    label: str | None = None,
    ttl: timedelta | None = None,
) -> tuple[str, Credential]:
    """A new session or API token for ``user``: the secret (shown once) and its record."""
    secret = secrets.token_urlsafe(32)
    moment = now()
    life = ttl or (SESSION_TTL if kind == "session" else TOKEN_TTL)
    cred = Credential(
        id=secrets.token_hex(8),
        kind=kind,
        user_name=user,
        label=label,
        csrf=secrets.token_urlsafe(24) if kind == "session" else None,
        created_at=iso(moment),
        expires_at=iso(moment + life),
        revoked_at=None,
    )
    rows.insert_credential(ws, _digest(secret), cred)
    return secret, cred


def authenticate(ws: Workspace, secret: str, *, kind: str | None = None) -> tuple[User, Credential]:
    """The user and credential behind ``secret``; :class:`AuthenticationError` when it is
    unknown, expired, revoked, of another kind, or its user is disabled. The message
    never says which (a forger learns nothing)."""
    if not secret or len(secret) > 200:
        raise AuthenticationError("invalid or expired credentials: log in again")
    cred = rows.credential_by_hash(ws, _digest(secret))
    if cred is None:
        raise AuthenticationError("invalid or expired credentials: log in again")
    if (kind and cred.kind != kind) or cred.revoked_at or cred.expires_at <= iso(now()):
        raise AuthenticationError("invalid or expired credentials: log in again")
    user = get_user(ws, cred.user_name)
    if user.disabled:
        raise AuthenticationError("invalid or expired credentials: log in again")
    return user, cred


def revoke(ws: Workspace, secret: str | None = None, *, credential_id: str | None = None) -> bool:
    """Revoke a session or token, by its secret or its id. Returns whether one was revoked."""
    return rows.revoke_credential(
        ws,
        token_hash=None if secret is None else _digest(secret),
        credential_id=credential_id,
        at=iso(now()),
    )


def tokens(ws: Workspace, user: str) -> list[Credential]:
    return rows.user_tokens(ws, user)


# -- logins ----------------------------------------------------------------------------


def _recent_failures(ws: Workspace, address: str, name: str | None = None) -> int:
    """Failed logins from ``address`` in the window (for the name digest ``name`` only)."""
    since = iso(now() - FAILURE_WINDOW)
    return rows.count_login_failures(ws, address, since=since, name_digest=name)


def login(ws: Workspace, name: str, password: str, *, address: str) -> Login:
    """Check a password and open a browser session.

    The back-off is per account *and* source: after :data:`MAX_FAILURES` failed
    attempts for one user name from one address within :data:`FAILURE_WINDOW`,
    further attempts for that name from that address are refused with
    :class:`RateLimitedError`, even with the right password, until the window
    passes; from an address with ten times as many failures (names sprayed), a name
    that failed there once is refused. A user who is not the one failing is never
    locked out (not from another address, nor behind the same proxy before failing
    themselves). The error for a wrong password and for an unknown user is the same.
    """
    name = (name or "")[:200]
    # failures are counted per user name, stored as its digest: a password typed into
    # the name field is never kept
    typed = _digest(name)
    flooded = _recent_failures(ws, address) >= 10 * MAX_FAILURES
    if _recent_failures(ws, address, typed) >= (1 if flooded else MAX_FAILURES):
        raise RateLimitedError(
            f"too many failed logins: try again in {int(FAILURE_WINDOW.total_seconds() // 60)} "
            "minutes"
        )
    found = rows.user_for_login(ws, name)
    ok = False
    try:
        ok = _HASHER.verify(found[1] if found else _DUMMY_HASH, password or "") and bool(found)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    if not ok or found is None or found[0].disabled:
        rows.add_login_failure(ws, typed, address, at=iso(now()))
        raise AuthenticationError("wrong user name or password")
    rows.clear_login_failures(ws, typed)
    user = User.of(found[0])
    secret, cred = issue(ws, user.name, kind="session")
    return Login(user=user, secret=secret, credential=cred)
