"""Many rows into DuckDB as columns (store/bulk.py): the same rows land as through
bound parameters, whether they go as NumPy arrays of plain values or as an Arrow
table, and rows Arrow cannot type fall back to parameters."""

from __future__ import annotations

import datetime

import duckdb

from threadline.store.bulk import ARROW_MIN_ROWS, insert_arrow

DDL = "CREATE TABLE t (id VARCHAR PRIMARY KEY, n INTEGER, score DOUBLE, note VARCHAR)"


def _rows(count: int) -> list[list[object]]:
    return [[f"r{i}", i, i / 4, None if i % 3 else f"note {i}"] for i in range(count)]


def test_many_rows_land_as_through_parameters() -> None:
    arrow, params = duckdb.connect(), duckdb.connect()
    for con in (arrow, params):
        con.execute(DDL)
    rows = _rows(ARROW_MIN_ROWS * 3)
    assert insert_arrow(arrow, "INSERT INTO t", rows)
    params.executemany("INSERT INTO t VALUES (?, ?, ?, ?)", rows)
    query = "SELECT * FROM t ORDER BY id"
    assert arrow.execute(query).fetchall() == params.execute(query).fetchall()


def test_a_key_twice_in_one_upsert_keeps_its_first_row() -> None:
    con = duckdb.connect()
    con.execute(DDL)
    rows = [*_rows(ARROW_MIN_ROWS), ["r1", 99, 0.0, "second"]]
    assert insert_arrow(con, "INSERT OR REPLACE INTO t", rows)
    assert con.execute("SELECT n, note FROM t WHERE id = 'r1'").fetchall() == [(1, None)]


def test_rows_arrow_cannot_type_or_few_rows_are_left_to_the_caller() -> None:
    con = duckdb.connect()
    con.execute(DDL)
    mixed = _rows(ARROW_MIN_ROWS)
    mixed[5][3] = 12  # a number among texts
    assert not insert_arrow(con, "INSERT INTO t", mixed)
    assert not insert_arrow(con, "INSERT INTO t", _rows(ARROW_MIN_ROWS - 1))
    assert con.execute("SELECT count(*) FROM t").fetchone() == (0,)


def test_plain_and_arrow_columns_land_as_through_parameters() -> None:
    """Integers among numbers, truth values, empty columns (NumPy) and a date column
    (Arrow) land as bound parameters put them."""
    ddl = "CREATE TABLE u (id VARCHAR, score DOUBLE, ok BOOLEAN, none VARCHAR, day DATE)"
    rows: list[list[object]] = [
        [f"r{i}", i if i % 2 else i / 4, i % 3 == 0, None, None] for i in range(ARROW_MIN_ROWS * 2)
    ]
    dated = [[*r[:4], datetime.date(2020, 1, 1 + i % 28)] for i, r in enumerate(rows)]
    for data in (rows, dated):
        fast, params = duckdb.connect(), duckdb.connect()
        for con in (fast, params):
            con.execute(ddl)
        assert insert_arrow(fast, "INSERT INTO u", data)
        params.executemany("INSERT INTO u VALUES (?, ?, ?, ?, ?)", data)
        query = "SELECT * FROM u ORDER BY id"
        assert fast.execute(query).fetchall() == params.execute(query).fetchall()
