"""The legacy ``?`` statements rewritten for PostgreSQL: placeholders, column types; the
schema needs no rewriting."""

from __future__ import annotations

import pytest

from threadline.store.dialect import to_postgres
from threadline.store.schema import MIGRATIONS


def test_placeholders_become_percent_s_but_not_inside_quotes() -> None:
    sql = "SELECT * FROM t WHERE a = ? AND b = 'why?' AND c LIKE '10%' AND \"odd?col\" = ?"
    assert to_postgres(sql, params=True) == (
        "SELECT * FROM t WHERE a = %s AND b = 'why?' AND c LIKE '10%%' AND \"odd?col\" = %s"
    )


def test_a_statement_without_parameters_is_left_as_written() -> None:
    sql = "SELECT count(*) FROM t WHERE c LIKE '10%' AND d = 'it''s'"
    assert to_postgres(sql, params=False) == sql


def test_an_escaped_quote_does_not_end_the_string() -> None:
    sql = "SELECT 'it''s ? here', ?"
    assert to_postgres(sql, params=True) == "SELECT 'it''s ? here', %s"


def test_column_types_are_rewritten_only_in_column_definitions() -> None:
    sql = (
        "CREATE TABLE t (text TEXT NOT NULL, score DOUBLE, raw BLOB, doc JSON, "
        "v DOUBLE PRECISION, note TEXT DEFAULT 'TEXT DOUBLE', PRIMARY KEY (text))"
    )
    assert to_postgres(sql, params=False) == (
        'CREATE TABLE t (text TEXT COLLATE "C" NOT NULL, score DOUBLE PRECISION, raw BYTEA, '
        'doc TEXT COLLATE "C", v DOUBLE PRECISION, note TEXT COLLATE "C" DEFAULT '
        "'TEXT DOUBLE', PRIMARY KEY (text))"
    )
    assert to_postgres("ALTER TABLE claims ADD COLUMN value_high DOUBLE", params=False) == (
        "ALTER TABLE claims ADD COLUMN value_high DOUBLE PRECISION"
    )
    # outside DDL only casts change
    assert to_postgres("SELECT CAST(text AS DOUBLE) FROM t", params=False) == (
        "SELECT CAST(text AS DOUBLE PRECISION) FROM t"
    )


@pytest.mark.parametrize("statement", [s for step in MIGRATIONS for s in step])
def test_every_migration_statement_is_written_for_both_backends(statement: str) -> None:
    # nothing left to rewrite: the schema's types are PostgreSQL's and DuckDB's alike
    assert to_postgres(statement, params=False) == statement
    assert " DOUBLE," not in statement and " DOUBLE)" not in statement and "BLOB" not in statement
