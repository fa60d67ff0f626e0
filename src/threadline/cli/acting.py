"""Who acts on the command line: the options naming the analyst and their agency, and
the checks on a workspace shared by agencies. The identity and the correction commands
share them (neither imports the other for them).
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.text import Text

from threadline.cli.base import console
from threadline.errors import InvalidValueError

if TYPE_CHECKING:
    from threadline.model import Entity
    from threadline.store import Workspace

__all__ = ["AgencyOpt", "ForceOpt", "ReasonOpt", "UserOpt"]

UserOpt = Annotated[
    str | None,
    typer.Option(
        "--user",
        help="Who judges (default: $USER). On a workspace shared by agencies: one of its "
        "users (or $THREADLINE_USER), required.",
    ),
]
AgencyOpt = Annotated[
    str | None,
    typer.Option(
        "--agency",
        help="On a workspace shared by agencies: the user's agency, which owns the "
        "judgement (or $THREADLINE_AGENCY), required.",
    ),
]
ReasonOpt = Annotated[str, typer.Option("--reason", help="Why: kept with the judgement.")]
ForceOpt = Annotated[
    bool,
    typer.Option(
        "--force", help="Record even if it contradicts other judgements (then reported, held back)."
    ),
]


def _user(user: str | None) -> str:
    if user and user.strip():
        return user.strip()
    try:
        return os.environ.get("USER") or getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def _acting(ws: Workspace, agency: str | None, user: str | None) -> Any:
    """On a workspace shared by agencies (users, or a PostgreSQL server), the user and
    agency a judgement belongs to: named by ``--agency``/``--user`` or
    $THREADLINE_AGENCY/$THREADLINE_USER, else refused (it would otherwise belong to the
    default agency, and be shown to its users whatever they may see). None: a one-analyst
    workspace, where the command line acts with full rights as before."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.security import WRITERS, PermissionDeniedError
    from threadline.security.users import find_user, has_users

    if ws.backend != "postgresql" and not has_users(ws):
        return None
    agency = agency or os.environ.get("THREADLINE_AGENCY")
    name = user or os.environ.get("THREADLINE_USER")
    if not agency or not name:
        raise InvalidValueError(
            "agency",
            "this workspace is shared by several agencies: name your agency and user with "
            "--agency AGENCY --user USER (or $THREADLINE_AGENCY and $THREADLINE_USER)",
        )
    found = find_user(ws, name)
    if found is None or found.agency != agency or found.disabled:
        raise InvalidValueError("user", f"'{name}' is not an active user of agency '{agency}'")
    if found.role not in WRITERS:
        raise PermissionDeniedError(f"{name} is a {found.role}: only analysts and admins judge")
    return found.principal()


def _may_see(ws: Workspace, who: Any, entities: Sequence[Entity], what: str) -> None:
    """Refuse a judgement on an entity resting on a source ``who`` may not see (nobody
    records anything above their own clearance)."""
    # lazy: loaded when the command runs, so `threadline --help` starts fast
    from threadline.security import PermissionDeniedError
    from threadline.security.classification import visible_documents
    from threadline.store.views import mention_documents

    if who is None:
        return
    seen = visible_documents(ws, who)
    doc_of = mention_documents(ws)
    for e in entities:
        if seen is not None and not all(doc_of.get(m) in seen for m in e.mentions):
            raise PermissionDeniedError(
                f"'{what}' rests on sources {who.name} may not see: judge it through the "
                "server as that user (it shows them their view)"
            )


def _plain(text: str, style: str = "") -> None:
    """Print text from documents as it is: never read as console markup."""
    console.print(Text(text, style=style), soft_wrap=True, highlight=False)
