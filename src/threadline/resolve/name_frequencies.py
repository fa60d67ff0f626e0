"""How often each name word is written on a sanctions list, shipped with threadline.

A rare shared family name says more than a common given name: "Mohammed Ali"
and "Mohammed Ali Haddou" share two of the most frequent words of any list of
Arabic-origin names, "Zerouali" is carried by a handful of people. Screening
counts the words of the list it screens against
(:func:`~threadline.resolve.names.common_words`); every other comparison (merge
proposals, ``explain``) has no list at hand and reads this table instead: the
folded name words of the UN Security Council consolidated list with the number
of listed names that carry them.

The table is read by :mod:`threadline.resolve.names.frequencies` (the name comparison
needs it; this module, which builds it, needs the name comparison). It is built from
**half of the list's entries** (those :func:`in_build_half` keeps, by a hash of the
entry id) so that the name-variant benchmark
(``benchmarks/un_name_variants.py``) can measure it on the pairs of the other half,
which never fed it. Rebuild it after the list or the name model changes::

    python -m threadline.resolve.name_frequencies ../shared/data/sanctions/un_consolidated_2025-04-19.xml

>>> "mohammed" in shipped_counts() or "muhammad" in shipped_counts()
True
"""

from __future__ import annotations

import argparse
import zlib
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from threadline.resolve.names import analyse_name
from threadline.resolve.names.frequencies import AT_LEAST as AT_LEAST
from threadline.resolve.names.frequencies import SHARE as SHARE
from threadline.resolve.names.frequencies import TABLE as TABLE
from threadline.resolve.names.frequencies import shipped_common_words as shipped_common_words
from threadline.resolve.names.frequencies import shipped_counts as shipped_counts


def in_build_half(entry_id: str) -> bool:
    """True for the entries whose names feed the shipped table (a stable hash of the id)."""
    return zlib.crc32(entry_id.encode("utf-8")) % 2 == 0


def count_words(names: Iterable[str]) -> tuple[Counter[str], int]:
    """How many of ``names`` carry each (folded) name word, and how many names there are."""
    counts: Counter[str] = Counter()
    total = 0
    for name in names:
        total += 1
        counts.update({w.text for w in analyse_name(name).words})
    return counts, total


def write_table(counts: Counter[str], total: int, path: Path = TABLE, *, source: str) -> None:
    """Write the words carried by at least :data:`AT_LEAST` names (the others are never common)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"# names\t{total}\t{source}"]
    lines += [
        f"{w}\t{n}"
        for w, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))
        if n >= AT_LEAST
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> None:
    # only the build step reads a list (lxml): comparing names must not load it
    from threadline.ingest.watchlists import read_watchlist
    from threadline.model.watchlist import ORIGINAL_SCRIPT

    parser = argparse.ArgumentParser(description="Build the shipped name-word table.")
    parser.add_argument("xml", type=Path, help="the UN consolidated list (XML)")
    parser.add_argument("--out", type=Path, default=TABLE)
    args = parser.parse_args(argv)
    wl = read_watchlist(args.xml, fmt="un-xml")
    names = [
        n.name
        for e in wl.entries
        if e.schema == "Person" and in_build_half(e.entry_id)
        for n in e.names
        if n.kind != ORIGINAL_SCRIPT and not n.low_quality
    ]
    counts, total = count_words(names)
    write_table(counts, total, args.out, source=args.xml.name + ", half of the entries")
    print(
        f"{args.out}: {sum(1 for n in counts.values() if n >= AT_LEAST)} words from {total} names"
    )


if __name__ == "__main__":
    main()
