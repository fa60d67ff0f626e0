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
- :data:`SHOW_ROLES`: roles found in the texts are shown beside names;
- :data:`OFFICERS_PER_TARGET`, :data:`TRIAGE_MIN_STRENGTH`: surveillance triage
  (``threadline triage``, ``GET /api/triage``);
- :data:`CONTAGION_THRESHOLD`, :data:`CONTAGION_RUNS`, :data:`CONTAGION_NOISE`:
  complex contagion (``threadline contagion``, ``GET /api/contagion``).

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
#: Officers one full-time surveillance target takes ("it takes 20 men").
OFFICERS_PER_TARGET = 20
#: Triage leaves out ties with weaker evidence: a weakly evidenced tie cannot make
#: someone a target.
TRIAGE_MIN_STRENGTH = 0.5
#: Contacts a person needs before adopting (Centola & Macy's threshold).
CONTAGION_THRESHOLD = 2.0
#: Simulation runs of the contagion model.
CONTAGION_RUNS = 100
#: Chance that a contact's influence fails to register in a round.
CONTAGION_NOISE = 0.1


def as_dict() -> dict[str, Any]:
    """The defaults as JSON (``GET /api/meta`` hands them to the workbench)."""
    return {
        "key_players": KEY_PLAYERS,
        "include_inferred": INCLUDE_INFERRED,
        "degree": DEGREE,
        "show_roles": SHOW_ROLES,
    }
