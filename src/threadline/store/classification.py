"""Classification levels, each source's classification, sharing agreements and grants:
their SQL (the rules that read them are :mod:`threadline.security.classification`).

Tables: ``classification_levels``, ``source_classification``, ``agency_shares``,
``source_grants``. Compartment lists are stored as JSON text; times as ISO text
the caller gives.

>>> import tempfile
>>> from threadline.store import open_workspace
>>> ws = open_workspace(tempfile.mkdtemp() + "/ws", create=True)
>>> replace_levels(ws, ["OPEN", "SECRET"])
>>> levels(ws)
[('OPEN', 0), ('SECRET', 1)]
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from threadline.store.workspace import Workspace


@dataclass(frozen=True)
class Classification:
    """A document's owning agency, level and compartments, and who set them when."""

    document: str
    agency: str
    level: str
    compartments: tuple[str, ...]
    set_by: str | None = None
    set_at: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "document": self.document,
            "agency": self.agency,
            "level": self.level,
            "compartments": list(self.compartments),
            "set_by": self.set_by,
            "set_at": self.set_at,
        }


class StoredShare(NamedTuple):
    owner: str
    partner: str
    max_level: str
    compartments: list[str]
    judgements: bool
    granted_by: str | None
    granted_at: str | None


# -- levels -----------------------------------------------------------------------------


def levels(ws: Workspace) -> list[tuple[str, int]]:
    """The classification levels with their rank, lowest first."""
    rows = ws.con.execute(
        "SELECT name, level_rank FROM classification_levels ORDER BY level_rank"
    ).fetchall()
    return [(str(r[0]), int(r[1])) for r in rows]


def levels_in_use(ws: Workspace) -> set[str]:
    """The levels a source, a user's clearance or a sharing agreement names."""
    return {
        str(r[0])
        for sql in (
            "SELECT DISTINCT level FROM source_classification",
            "SELECT DISTINCT clearance FROM users",
            "SELECT DISTINCT max_level FROM agency_shares",
        )
        for r in ws.con.execute(sql).fetchall()
        if r[0] is not None
    }


def replace_levels(ws: Workspace, names: Sequence[str]) -> None:
    """Replace the list of levels with ``names``, lowest first (one transaction)."""
    with ws.transaction():
        ws.con.execute("DELETE FROM classification_levels")
        for rank, name in enumerate(names):
            ws.con.execute("INSERT INTO classification_levels VALUES (?, ?)", [name, rank])


# -- classifications --------------------------------------------------------------------

_CLASSIFICATION = (
    "SELECT document, agency, level, compartments, set_by, set_at FROM source_classification"
)


def _classification(r: Sequence[Any]) -> Classification:
    return Classification(r[0], r[1], r[2], tuple(json.loads(r[3])), r[4], r[5])


def set_classification(ws: Workspace, c: Classification) -> None:
    """Store a document's classification, replacing the one it had."""
    ws.con.execute(
        "INSERT INTO source_classification (document, agency, level, compartments, set_by, "
        "set_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (document) DO UPDATE SET "
        "agency = excluded.agency, level = excluded.level, "
        "compartments = excluded.compartments, set_by = excluded.set_by, "
        "set_at = excluded.set_at",
        [c.document, c.agency, c.level, json.dumps(list(c.compartments)), c.set_by, c.set_at],
    )


def stored_classification(ws: Workspace, document: str) -> Classification | None:
    """The classification set for ``document``; None if nobody classified it."""
    row = ws.con.execute(f"{_CLASSIFICATION} WHERE document = ?", [document]).fetchone()
    return None if row is None else _classification(row)


def stored_classifications(ws: Workspace) -> list[Classification]:
    """Every classification set (documents never classified have none)."""
    return [_classification(r) for r in ws.con.execute(_CLASSIFICATION).fetchall()]


# -- sharing agreements and grants ------------------------------------------------------


def set_share(ws: Workspace, s: StoredShare) -> None:
    """Store a sharing agreement, replacing the one between the same two agencies."""
    ws.con.execute(
        "INSERT INTO agency_shares (owner, partner, max_level, compartments, judgements, "
        "granted_by, granted_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (owner, partner) "
        "DO UPDATE SET max_level = excluded.max_level, compartments = excluded.compartments, "
        "judgements = excluded.judgements, granted_by = excluded.granted_by, "
        "granted_at = excluded.granted_at",
        [
            s.owner,
            s.partner,
            s.max_level,
            json.dumps(list(s.compartments)),
            s.judgements,
            s.granted_by,
            s.granted_at,
        ],
    )


def delete_share(ws: Workspace, owner: str, partner: str) -> bool:
    """End the agreement by which ``owner`` shares with ``partner``; False if none."""
    found = ws.con.execute(
        "SELECT 1 FROM agency_shares WHERE owner = ? AND partner = ?", [owner, partner]
    ).fetchone()
    ws.con.execute("DELETE FROM agency_shares WHERE owner = ? AND partner = ?", [owner, partner])
    return found is not None


def stored_shares(ws: Workspace) -> list[StoredShare]:
    """Every sharing agreement, by owner then partner."""
    rows = ws.con.execute(
        "SELECT owner, partner, max_level, compartments, judgements, granted_by, granted_at "
        "FROM agency_shares ORDER BY owner, partner"
    ).fetchall()
    return [
        StoredShare(str(r[0]), str(r[1]), str(r[2]), list(json.loads(r[3])), bool(r[4]), r[5], r[6])
        for r in rows
    ]


def add_grant(
    ws: Workspace,
    document: str,
    agency: str,
    *,
    granted_by: str | None,
    alert: int | None,
    granted_at: str,
) -> None:
    """Share one source with one agency (kept once: a second grant changes nothing)."""
    ws.con.execute(
        "INSERT INTO source_grants (document, agency, granted_by, alert, granted_at) "
        "VALUES (?, ?, ?, ?, ?) ON CONFLICT (document, agency) DO NOTHING",
        [document, agency, granted_by, alert, granted_at],
    )


def granted_documents(ws: Workspace, agency: str) -> set[str]:
    """The documents granted to ``agency`` one by one."""
    rows = ws.con.execute(
        "SELECT document FROM source_grants WHERE agency = ?", [agency]
    ).fetchall()
    return {str(r[0]) for r in rows}
