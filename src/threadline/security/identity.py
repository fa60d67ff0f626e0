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
import json
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from threadline.errors import InvalidValueError, NotFoundError
from threadline.security import ROLES, AuthenticationError, Principal, RateLimitedError
from threadline.store import Workspace

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
class User:
    name: str
    agency: str
    role: str
    clearance: str
    compartments: frozenset[str]
    disabled: bool
    created_at: str

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
class Credential:
    """A session or an API token (the secret itself is never stored)."""

    id: str
    kind: str  # session | token
    user_name: str
    label: str | None
    csrf: str | None
    created_at: str
    expires_at: str
    revoked_at: str | None


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
        if ws.con.execute("SELECT 1 FROM agencies WHERE name = ?", [name]).fetchone():
            raise InvalidValueError("agency", f"agency '{name}' already exists")
        first = not ws.con.execute("SELECT 1 FROM agencies").fetchone()
        if default and not first:
            ws.con.execute("UPDATE agencies SET is_default = FALSE")
        ws.con.execute(
            "INSERT INTO agencies (name, title, is_default, created_at) VALUES (?, ?, ?, ?)",
            [name, title or name, bool(default or first), iso(now())],
        )


def agencies(ws: Workspace) -> list[dict[str, Any]]:
    rows = ws.con.execute(
        "SELECT name, title, is_default, created_at FROM agencies ORDER BY name"
    ).fetchall()
    return [{"name": r[0], "title": r[1], "default": bool(r[2]), "created_at": r[3]} for r in rows]


def default_agency(ws: Workspace) -> str | None:
    row = ws.con.execute("SELECT name FROM agencies WHERE is_default").fetchone()
    return str(row[0]) if row else None


def require_agency(ws: Workspace, name: str) -> str:
    if not ws.con.execute("SELECT 1 FROM agencies WHERE name = ?", [name]).fetchone():
        raise NotFoundError(f"agency '{name}' does not exist; add it with 'threadline agency add'")
    return name


# -- users -----------------------------------------------------------------------------


def has_users(ws: Workspace) -> bool:
    """Whether access control is on: a workspace with users requires logins."""
    return ws.con.execute("SELECT 1 FROM users").fetchone() is not None


def _user(row: tuple[Any, ...]) -> User:
    return User(
        name=row[0],
        agency=row[1],
        role=row[2],
        clearance=row[3],
        compartments=frozenset(json.loads(row[4] or "[]")),
        disabled=bool(row[5]),
        created_at=row[6],
    )


_USER_COLS = "name, agency, role, clearance, compartments, disabled, created_at"


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
    # late: threadline.security.classification imports this module
    from threadline.security.classification import level_names

    _check_name("user", name)
    if role not in ROLES:
        raise InvalidValueError("role", f"'{role}' is not a role: use {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise InvalidValueError("password", f"use at least {MIN_PASSWORD} characters")
    levels = level_names(ws)
    level = clearance or levels[0]
    if level not in levels:
        raise InvalidValueError("clearance", f"'{level}' is not a level: use {', '.join(levels)}")
    comps = sorted({c.strip() for c in compartments if c.strip()})
    with ws.transaction():
        require_agency(ws, agency)
        if ws.con.execute("SELECT 1 FROM users WHERE name = ?", [name]).fetchone():
            raise InvalidValueError("user", f"user '{name}' already exists")
        ws.con.execute(
            f"INSERT INTO users ({_USER_COLS}, password_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [
                name,
                agency,
                role,
                level,
                json.dumps(comps),
                False,
                iso(now()),
                _HASHER.hash(password),
            ],
        )
    return get_user(ws, name)


def get_user(ws: Workspace, name: str) -> User:
    row = ws.con.execute(f"SELECT {_USER_COLS} FROM users WHERE name = ?", [name]).fetchone()
    if row is None:
        raise NotFoundError(f"user '{name}' does not exist; list users with 'threadline user list'")
    return _user(row)


def find_user(ws: Workspace, name: str) -> User | None:
    """The user called ``name``, or None."""
    row = ws.con.execute(f"SELECT {_USER_COLS} FROM users WHERE name = ?", [name]).fetchone()
    return None if row is None else _user(row)


def users(ws: Workspace, *, agency: str | None = None) -> list[User]:
    sql = f"SELECT {_USER_COLS} FROM users"
    params: list[Any] = []
    if agency is not None:
        sql += " WHERE agency = ?"
        params.append(agency)
    return [_user(r) for r in ws.con.execute(sql + " ORDER BY name", params).fetchall()]


def set_disabled(ws: Workspace, name: str, disabled: bool = True) -> User:
    """Disable (or re-enable) a user; disabling also revokes every session and token."""
    get_user(ws, name)
    with ws.transaction():
        ws.con.execute("UPDATE users SET disabled = ? WHERE name = ?", [disabled, name])
        if disabled:
            ws.con.execute(
                "UPDATE credentials SET revoked_at = ? WHERE user_name = ? AND revoked_at IS NULL",
                [iso(now()), name],
            )
    return get_user(ws, name)


def set_password(ws: Workspace, name: str, password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InvalidValueError("password", f"use at least {MIN_PASSWORD} characters")
    get_user(ws, name)
    ws.con.execute(
        "UPDATE users SET password_hash = ? WHERE name = ?", [_HASHER.hash(password), name]
    )


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
    ws.con.execute(
        "INSERT INTO credentials (token_hash, id, kind, user_name, label, csrf, created_at, "
        "expires_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, NULL)",
        [
            _digest(secret),
            cred.id,
            kind,
            user,
            label,
            cred.csrf,
            cred.created_at,
            cred.expires_at,
        ],
    )
    return secret, cred


def authenticate(ws: Workspace, secret: str, *, kind: str | None = None) -> tuple[User, Credential]:
    """The user and credential behind ``secret``; :class:`AuthenticationError` when it is
    unknown, expired, revoked, of another kind, or its user is disabled. The message
    never says which (a forger learns nothing)."""
    if not secret or len(secret) > 200:
        raise AuthenticationError("invalid or expired credentials: log in again")
    row = ws.con.execute(
        "SELECT id, kind, user_name, label, csrf, created_at, expires_at, revoked_at "
        "FROM credentials WHERE token_hash = ?",
        [_digest(secret)],
    ).fetchone()
    if row is None:
        raise AuthenticationError("invalid or expired credentials: log in again")
    cred = Credential(*row)
    if (kind and cred.kind != kind) or cred.revoked_at or cred.expires_at <= iso(now()):
        raise AuthenticationError("invalid or expired credentials: log in again")
    user = get_user(ws, cred.user_name)
    if user.disabled:
        raise AuthenticationError("invalid or expired credentials: log in again")
    return user, cred


def revoke(ws: Workspace, secret: str | None = None, *, credential_id: str | None = None) -> bool:
    """Revoke a session or token, by its secret or its id. Returns whether one was revoked."""
    if secret is not None:
        where, value = "token_hash = ?", _digest(secret)
    elif credential_id is not None:
        where, value = "id = ?", credential_id
    else:
        return False
    found = ws.con.execute(
        f"SELECT 1 FROM credentials WHERE {where} AND revoked_at IS NULL", [value]
    ).fetchone()
    if found:
        ws.con.execute(f"UPDATE credentials SET revoked_at = ? WHERE {where}", [iso(now()), value])
    return found is not None


def tokens(ws: Workspace, user: str) -> list[Credential]:
    rows = ws.con.execute(
        "SELECT id, kind, user_name, label, csrf, created_at, expires_at, revoked_at "
        "FROM credentials WHERE user_name = ? AND kind = 'token' ORDER BY created_at",
        [user],
    ).fetchall()
    return [Credential(*r) for r in rows]


# -- logins ----------------------------------------------------------------------------


def _recent_failures(ws: Workspace, address: str, name: str | None = None) -> int:
    """Failed logins from ``address`` in the window (for the name digest ``name`` only)."""
    since = iso(now() - FAILURE_WINDOW)
    sql = "SELECT count(*) FROM login_failures WHERE address = ? AND failed_at > ?"
    params = [address, since]
    if name is not None:
        sql += " AND user_name = ?"
        params.append(name)
    row = ws.con.execute(sql, params).fetchone()
    return int(row[0]) if row else 0


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
    row = ws.con.execute(
        f"SELECT {_USER_COLS}, password_hash FROM users WHERE name = ?", [name]
    ).fetchone()
    ok = False
    try:
        ok = _HASHER.verify(row[7] if row else _DUMMY_HASH, password or "") and row is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    if not ok or row is None or bool(row[5]):
        ws.con.execute(
            "INSERT INTO login_failures (user_name, address, failed_at) VALUES (?, ?, ?)",
            [typed, address, iso(now())],
        )
        raise AuthenticationError("wrong user name or password")
    ws.con.execute("DELETE FROM login_failures WHERE user_name = ?", [typed])
    user = _user(row[:7])
    secret, cred = issue(ws, user.name, kind="session")
    return Login(user=user, secret=secret, credential=cred)
