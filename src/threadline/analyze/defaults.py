"""The one set of analysis defaults every interface reads.

The CLI (``keyplayers``, ``triage``, ``analyze``), the HTML report, the REST
API and the web workbench (through ``GET /api/meta``) all take their defaults
from here, so the same question asked of each gives the same answer
(docs/analysis.md, "One set of defaults"):

- :data:`KEY_PLAYERS`: the size of the key-player set (KPP-Neg) flagged and listed;
- :data:`INCLUDE_INFERRED`: inferred ties (named in one sentence, no stated
  relation) are left out of the analysis and hidden in the pictures unless asked for;
- :data:`DEGREE`: degree counts the distinct people and groups an actor has a
  stated tie with; places, events and inferred ties are not counted;
- :data:`SHOW_ROLES`: roles found in the texts are shown beside names.

>>> as_dict()["key_players"], as_dict()["include_inferred"]
(3, False)
"""

from __future__ import annotations

from typing import Any

#: How many people and groups the key-player set holds (CLI ``--k``, report, API, workbench).
KEY_PLAYERS = 3
#: Inferred ties are suggestions, not statements: off unless asked for.
INCLUDE_INFERRED = False
#: What "degree" means everywhere a number of ties is shown.
DEGREE = "distinct people and groups with a stated tie"
#: Roles found in the texts (recruiter, financier, ...) are shown beside names.
SHOW_ROLES = True


def as_dict() -> dict[str, Any]:
    """The defaults as JSON (``GET /api/meta`` hands them to the workbench)."""
    return {
        "key_players": KEY_PLAYERS,
        "include_inferred": INCLUDE_INFERRED,
        "degree": DEGREE,
        "show_roles": SHOW_ROLES,
    }
