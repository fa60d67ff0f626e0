"""Several agencies, one investigation: who may see which source, and who did what.

- :mod:`~threadline.security.users`: agencies, users and their roles, argon2
  password hashes, API tokens and browser sessions, login rate limiting.
- :mod:`~threadline.security.classification`: every source's owning agency, level
  and compartments; sharing between agencies; which sources a user may see.
- :mod:`~threadline.security.visibility`: the workspace a user sees, built only
  from the evidence they may see (entities, ties, claims, measures follow it).
- :mod:`~threadline.security.alerts`: hit/no-hit watches, alerts, access requests.
- :mod:`~threadline.security.audit`: the append-only, hash-chained audit log.
- :mod:`~threadline.security.ratelimit`: token buckets per user and per address.

A workspace without users is the single-user embedded mode: one agency with
full rights, exactly as before any of this existed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The access errors are defined in threadline.errors (one tree, one code each); these
# names keep ``from threadline.security import PermissionDeniedError`` working.
from threadline.errors import AuthenticationError as AuthenticationError
from threadline.errors import CsrfError as CsrfError
from threadline.errors import PermissionDeniedError as PermissionDeniedError
from threadline.errors import RateLimitedError as RateLimitedError
from threadline.errors import SecurityError as SecurityError
from threadline.errors import TooManyRequestsError as TooManyRequestsError

#: The roles, least to most rights over data (the auditor reads only the audit log).
ROLES = ("viewer", "analyst", "admin", "auditor")
#: Roles that read case data (entities, ties, documents, analysis).
READERS = frozenset({"viewer", "analyst", "admin"})
#: Roles that write analyst work (judgements, notes, asserted ties, grades, watches).
WRITERS = frozenset({"analyst", "admin"})
#: Roles that change permissions and classification.
ADMINS = frozenset({"admin"})
#: Roles that read the audit log.
AUDITORS = frozenset({"auditor", "admin"})


@dataclass(frozen=True)
class Principal:
    """Who is acting: a user of an agency with a role, a clearance and compartments.

    ``all_seeing`` is the single-user embedded mode (and the command line run by
    whoever owns the workspace): every source, every right.
    """

    name: str
    agency: str
    role: str = "admin"
    clearance: str = ""
    compartments: frozenset[str] = field(default_factory=frozenset)
    all_seeing: bool = False

    def can(self, roles: frozenset[str]) -> bool:
        return self.all_seeing or self.role in roles


def local_principal(name: str, agency: str) -> Principal:
    """The owner of the workspace acting on this machine (CLI, single-user server)."""
    return Principal(name=name, agency=agency, role="admin", all_seeing=True)
