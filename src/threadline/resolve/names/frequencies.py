"""The shipped table of how often each name word is written on a sanctions list: read
here, where the name comparison needs it (:func:`shipped_common_words`); built by
:mod:`threadline.resolve.name_frequencies`, which explains where it comes from.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache
from pathlib import Path

from threadline.model.names import strict_skeleton

__all__ = ["AT_LEAST", "SHARE", "TABLE", "shipped_common_words", "shipped_counts"]

#: The shipped table: "word<TAB>count" lines under a "# names<TAB>N" header.
TABLE = Path(__file__).parents[1] / "data" / "name_words.tsv"
#: A word in at least this share of the names (and at least :data:`AT_LEAST` of them) is common.
SHARE = 0.01
AT_LEAST = 5


@lru_cache(maxsize=1)
def _read(path: Path = TABLE) -> tuple[dict[str, int], int]:
    counts: dict[str, int] = {}
    total = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("# names\t"):
            total = int(line.split("\t")[1])
        elif line and not line.startswith("#"):
            word, n = line.split("\t")
            counts[word] = int(n)
    return counts, total


def shipped_counts() -> dict[str, int]:
    """The shipped table: folded name word -> number of listed names that carry it."""
    return _read()[0]


@lru_cache(maxsize=1)
def shipped_common_words() -> frozenset[str]:
    """The shipped table's common words as :func:`~threadline.model.names.strict_skeleton`
    keys, the form :func:`~threadline.resolve.names.compare_names` reads."""
    counts, total = _read()
    by_key: Counter[str] = Counter()
    for word, n in counts.items():
        by_key[strict_skeleton(word)] += n
    floor = max(AT_LEAST, SHARE * total)
    return frozenset(k for k, n in by_key.items() if n >= floor)
