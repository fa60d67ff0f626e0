"""The shipped GeoNames place table: what the extractor asks of it, and that it is
what `python -m threadline.model.places` builds from GeoNames today."""

from __future__ import annotations

import gzip

import pytest

from threadline.model import lexicon, places


@pytest.mark.parametrize(
    ("word", "city", "known"),
    [
        ("Paris", True, True),
        ("São Paulo", True, True),
        ("Sao Paulo", True, True),
        ("Belgium", False, True),
        ("Europe", False, True),
        ("Middle East", False, True),  # a region: the lexicon's own list
        ("Harbour Cell", False, False),
    ],
)
def test_places_answer_as_the_extractor_asks(word: str, city: bool, known: bool) -> None:
    assert lexicon.is_city(word) is city
    assert lexicon.is_known_place(word) is known


def test_an_alternate_name_is_a_possible_place_only() -> None:
    alternate = next(iter(sorted(places.alternate_places() - lexicon._places())))
    assert lexicon.is_possible_place(alternate) and not lexicon.is_known_place(alternate)


def test_the_table_was_folded_as_fold_folds_today() -> None:
    assert places.header().endswith(f"fold {places.fold_fingerprint()}"), (
        "fold() changed: rebuild the table with python -m threadline.model.places"
    )


def test_the_shipped_table_is_what_geonames_gives_today() -> None:
    with gzip.open(places.TABLE, "rt", encoding="utf-8") as f:
        shipped = f.read().splitlines()
    assert shipped == places.table_lines(places.rows_from_geonames())
