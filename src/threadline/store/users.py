"""The tables of agencies, users, credentials and failed logins: their SQL, and nothing else.

:mod:`threadline.security.users` decides (names, roles, passwords, hashing, the login
back-off); this module reads and writes the rows it asks for: ``agencies``, ``users``,
``credentials`` (sessions and API tokens, by the SHA-256 of their secret) and
``login_failures``.

>>> import tempfile
>>> from threadline.store import open_workspace
>>> ws = open_workspace(tempfile.mkdtemp() + "/ws", create=True)
>>> insert_agency(ws, "police", "City Police", is_default=True, created_at="2026-01-01")
>>> [a.name for a in list_agencies(ws)], default_agency_name(ws)
(['police'], 'police')
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from threadline.store.workspace import Workspace

_USER_COLS = "name, agency, role, clearance, compartments, disabled, created_at"
_CREDENTIAL_COLS = "id, kind, user_name, label, csrf, created_at, expires_at, revoked_at"


@dataclass(frozen=True)
class AgencyRow:
    name: str
    title: str
    default: bool
    created_at: str


@dataclass(frozen=True)
class UserRow:
    """A user as stored (the password hash is read only by :func:`user_for_login`)."""

    name: str
    agency: str
    role: str
    clearance: str
    compartments: frozenset[str]
    disabled: bool
    created_at: str


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


def _user(row: tuple[Any, ...]) -> UserRow:
    return UserRow(
        name=str(row[0]),
        agency=str(row[1]),
        role=str(row[2]),
        clearance=str(row[3]),
        compartments=frozenset(json.loads(row[4] or "[]")),
        disabled=bool(row[5]),
        created_at=str(row[6]),
    )


def _credential(row: tuple[Any, ...]) -> Credential:
    return Credential(*row)


# -- agencies --------------------------------------------------------------------------------


def agency_exists(ws: Workspace, name: str) -> bool:
    return ws.con.execute("SELECT 1 FROM agencies WHERE name = $1", [name]).fetchone() is not None


def has_agencies(ws: Workspace) -> bool:
    return ws.con.execute("SELECT 1 FROM agencies").fetchone() is not None


def insert_agency(
    ws: Workspace, name: str, title: str, *, is_default: bool, created_at: str
) -> None:
    """Add an agency; a default one takes the mark from the agency that had it."""
    if is_default:
        ws.con.execute("UPDATE agencies SET is_default = FALSE")
    ws.con.execute(
        "INSERT INTO agencies (name, title, is_default, created_at) VALUES ($1, $2, $3, $4)",
        [name, title, bool(is_default), created_at],
    )


def list_agencies(ws: Workspace) -> list[AgencyRow]:
    rows = ws.con.execute(
        "SELECT name, title, is_default, created_at FROM agencies ORDER BY name"
    ).fetchall()
    return [AgencyRow(str(r[0]), str(r[1]), bool(r[2]), str(r[3])) for r in rows]


def default_agency_name(ws: Workspace) -> str | None:
    row = ws.con.execute("SELECT name FROM agencies WHERE is_default").fetchone()
    return str(row[0]) if row else None


# -- users -----------------------------------------------------------------------------------


def has_users(ws: Workspace) -> bool:
    return ws.con.execute("SELECT 1 FROM users").fetchone() is not None


def user_exists(ws: Workspace, name: str) -> bool:
    return ws.con.execute("SELECT 1 FROM users WHERE name = $1", [name]).fetchone() is not None


def insert_user(ws: Workspace, user: UserRow, password_hash: str) -> None:
    ws.con.execute(
        f"INSERT INTO users ({_USER_COLS}, password_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        [
            user.name,
            user.agency,
            user.role,
            user.clearance,
            json.dumps(sorted(user.compartments)),
            user.disabled,
            user.created_at,
            password_hash,
        ],
    )


def user_row(ws: Workspace, name: str) -> UserRow | None:
    row = ws.con.execute(f"SELECT {_USER_COLS} FROM users WHERE name = $1", [name]).fetchone()
    return None if row is None else _user(row)


def user_for_login(ws: Workspace, name: str) -> tuple[UserRow, str] | None:
    """The user called ``name`` and their password hash, or None."""
    row = ws.con.execute(
        f"SELECT {_USER_COLS}, password_hash FROM users WHERE name = $1", [name]
    ).fetchone()
    return None if row is None else (_user(row[:7]), str(row[7]))


def user_rows(ws: Workspace, *, agency: str | None = None) -> list[UserRow]:
    """Every user (of ``agency`` only, when given), by name."""
    sql = f"SELECT {_USER_COLS} FROM users"
    params: list[Any] = []
    if agency is not None:
        sql += " WHERE agency = $1"
        params.append(agency)
    return [_user(r) for r in ws.con.execute(sql + " ORDER BY name", params).fetchall()]


def set_user_disabled(ws: Workspace, name: str, disabled: bool, *, at: str) -> None:
    """Disable (or re-enable) a user; disabling also revokes, at ``at``, every open
    session and token of theirs (one transaction)."""
    with ws.transaction():
        ws.con.execute("UPDATE users SET disabled = $1 WHERE name = $2", [disabled, name])
        if disabled:
            ws.con.execute(
                "UPDATE credentials SET revoked_at = $1 WHERE user_name = $2 AND revoked_at IS NULL",
                [at, name],
            )


def set_password_hash(ws: Workspace, name: str, password_hash: str) -> None:
    ws.con.execute("UPDATE users SET password_hash = $1 WHERE name = $2", [password_hash, name])


# -- credentials -----------------------------------------------------------------------------


def insert_credential(ws: Workspace, token_hash: str, cred: Credential) -> None:
    ws.con.execute(
        f"INSERT INTO credentials (token_hash, {_CREDENTIAL_COLS}) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        [
            token_hash,
            cred.id,
            cred.kind,
            cred.user_name,
            cred.label,
            cred.csrf,
            cred.created_at,
            cred.expires_at,
            cred.revoked_at,
        ],
    )


def credential_by_hash(ws: Workspace, token_hash: str) -> Credential | None:
    row = ws.con.execute(
        f"SELECT {_CREDENTIAL_COLS} FROM credentials WHERE token_hash = $1", [token_hash]
    ).fetchone()
    return None if row is None else _credential(row)


def revoke_credential(
    ws: Workspace, *, token_hash: str | None = None, credential_id: str | None = None, at: str
) -> bool:
    """Mark the open credential with this secret's hash (or this id) revoked at ``at``;
    whether there was one."""
    if token_hash is not None:
        where, value = "token_hash = $1", token_hash
    elif credential_id is not None:
        where, value = "id = $1", credential_id
    else:
        return False
    found = ws.con.execute(
        f"SELECT 1 FROM credentials WHERE {where} AND revoked_at IS NULL", [value]
    ).fetchone()
    if found:
        ws.con.execute(f"UPDATE credentials SET revoked_at = $2 WHERE {where}", [value, at])
    return found is not None


def user_tokens(ws: Workspace, user: str) -> list[Credential]:
    """The API tokens of ``user`` (revoked and expired ones too), oldest first."""
    rows = ws.con.execute(
        f"SELECT {_CREDENTIAL_COLS} FROM credentials WHERE user_name = $1 AND kind = 'token' "
        "ORDER BY created_at",
        [user],
    ).fetchall()
    return [_credential(r) for r in rows]


# -- failed logins ---------------------------------------------------------------------------


def count_login_failures(
    ws: Workspace, address: str, *, since: str, name_digest: str | None = None
) -> int:
    """Failed logins from ``address`` after ``since`` (for the name digest only, when given)."""
    sql = "SELECT count(*) FROM login_failures WHERE address = $1 AND failed_at > $2"
    params = [address, since]
    if name_digest is not None:
        sql += " AND user_name = $3"
        params.append(name_digest)
    row = ws.con.execute(sql, params).fetchone()
    return int(row[0]) if row else 0


def add_login_failure(ws: Workspace, name_digest: str, address: str, *, at: str) -> None:
    ws.con.execute(
        "INSERT INTO login_failures (user_name, address, failed_at) VALUES ($1, $2, $3)",
        [name_digest, address, at],
    )


def clear_login_failures(ws: Workspace, name_digest: str) -> None:
    ws.con.execute("DELETE FROM login_failures WHERE user_name = $1", [name_digest])
