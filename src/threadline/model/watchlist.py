"""Watchlists (sanctions and wanted lists), their entries, and screening hits.

Plain records, no I/O. An entry keeps everything its list says about a person
or organisation (dates of birth, nationalities, places, list type) as
``data``, for the analyst to read; screening compares names only (design
principle 4: nationality and similar attributes are never inputs to a score).
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass, field
from typing import Any

#: Name kinds on a list entry.
PRIMARY = "primary"
ALIAS = "alias"
ORIGINAL_SCRIPT = "original script"

#: Alias qualities. The UN list grades individuals' aliases "Good" or "Low" and
#: marks entities' aliases "a.k.a." / "f.k.a."; a CSV list may mark weak aliases.
GOOD = "good"
LOW = "low"
AKA = "a.k.a."
FKA = "f.k.a."


@dataclass(frozen=True)
class ListedName:
    """One name of a list entry: its primary name, an alias, or its original script,
    with the list's note on it."""

    name: str
    kind: str = PRIMARY
    quality: str = GOOD
    #: What the list says about the name beside it ("birth name", "previously listed
    #: as", "born in 1960"), taken out of the name; never compared.
    note: str = ""

    @property
    def low_quality(self) -> bool:
        return self.quality == LOW

    def to_dict(self) -> dict[str, str]:
        out = {"name": self.name, "kind": self.kind, "quality": self.quality}
        if self.note:
            out["note"] = self.note
        return out


@dataclass
class WatchlistEntry:
    """A listed person or organisation. ``row`` is where it sits in the list file."""

    list: str
    entry_id: str
    schema: str  # "Person" or "Organization"
    name: str
    names: builtins.list[ListedName]  # ``list`` is the list's name here
    data: dict[str, Any] = field(default_factory=dict)
    row: int | None = None


@dataclass
class Watchlist:
    """A list as imported: its entries, plus the rows that could not be read."""

    name: str
    source: str
    format: str
    entries: list[WatchlistEntry]
    problems: list[str] = field(default_factory=list)
    generated: str | None = None


@dataclass(frozen=True)
class WatchlistHit:
    """A resolved entity whose name matches a list entry's name, and why."""

    entity: str
    list: str
    entry_id: str
    entry_name: str
    matched_name: str
    score: float
    why: str

    def to_dict(self) -> dict[str, Any]:
        """The form of the JSON export's ``watchlist_hits`` (DESIGN.md)."""
        return {
            "list": self.list,
            "entry_id": self.entry_id,
            "entry_name": self.entry_name,
            "matched_name": self.matched_name,
            "score": self.score,
            "why": self.why,
        }
