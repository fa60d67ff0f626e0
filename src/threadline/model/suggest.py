"""Did-you-mean for names an analyst types: the closest names the workspace holds.

Shared by every command that looks an entity up by name (``path``, ``merge``,
``explain`` …), so a typo gets the same help on the command line as in the
workbench's search.

>>> did_you_mean("Karim Hadou", ["Karim Haddou", "Yassin Benali", "Haddou"])
"; did you mean 'Karim Haddou'?"
>>> did_you_mean("Zzyzx", ["Karim Haddou"])
''
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from threadline.model.names import fold


def closest_names(ref: str, names: Iterable[str], *, n: int = 3) -> list[str]:
    """Up to ``n`` of ``names`` that read most like ``ref`` (case and accents ignored)."""
    by_fold: dict[str, str] = {}
    for name in names:
        by_fold.setdefault(fold(name), name)
    found = difflib.get_close_matches(fold(ref), list(by_fold), n=n, cutoff=0.75)
    return [by_fold[f] for f in found]


def did_you_mean(ref: str, names: Iterable[str]) -> str:
    """A message suffix naming the closest names, or ``''`` when none is close."""
    close = closest_names(ref, names)
    if not close:
        return ""
    return "; did you mean " + " or ".join(f"'{c}'" for c in close) + "?"
