"""The store's SQL rewritten for PostgreSQL: placeholders, column types, upserts."""

from __future__ import annotations

import pytest

from threadline.errors import WorkspaceError
from threadline.store.dialect import TableShape, to_postgres
from threadline.store.schema import MIGRATIONS

SHAPES = {
    "meta": TableShape(("key", "value"), ("key",)),
    "metrics": TableShape(("entity", "name", "value"), ("entity", "name")),
    "entity_mentions": TableShape(("mention", "entity"), ("mention",)),
    "plain": TableShape(("a", "b"), ()),
}


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
def test_every_migration_statement_translates_without_duckdb_types(statement: str) -> None:
    out = to_postgres(statement, params=False)
    assert " DOUBLE," not in out and " DOUBLE)" not in out and " DOUBLE\n" not in out
    assert "BLOB" not in out.upper().replace("BLOB TEXT", "")  # a column may be named blob


def test_insert_or_replace_becomes_an_upsert_on_the_primary_key() -> None:
    out = to_postgres("INSERT OR REPLACE INTO meta VALUES (?, ?)", params=True, shape=SHAPES.get)
    assert out == (
        "INSERT INTO meta VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"
    )
    out = to_postgres(
        "INSERT OR REPLACE INTO metrics (entity, name, value) VALUES (?,?,?),(?,?,?)",
        params=True,
        shape=SHAPES.get,
    )
    assert out.endswith("ON CONFLICT (entity, name) DO UPDATE SET value = EXCLUDED.value")
    assert out.startswith("INSERT INTO metrics (entity, name, value) VALUES (%s,%s,%s),")


def test_insert_or_replace_of_key_columns_only_does_nothing_on_conflict() -> None:
    out = to_postgres(
        "INSERT OR REPLACE INTO entity_mentions (mention) VALUES (?)",
        params=True,
        shape=SHAPES.get,
    )
    assert (
        out == "INSERT INTO entity_mentions (mention) VALUES (%s) ON CONFLICT (mention) DO NOTHING"
    )


def test_insert_or_ignore_keeps_returning_last() -> None:
    out = to_postgres("INSERT OR IGNORE INTO plain VALUES (?, ?) RETURNING a", params=True)
    assert out == "INSERT INTO plain VALUES (%s, %s) ON CONFLICT DO NOTHING RETURNING a"


def test_insert_or_replace_into_a_table_without_a_key_is_a_clear_error() -> None:
    with pytest.raises(WorkspaceError, match="INSERT OR REPLACE INTO plain: the table has no"):
        to_postgres("INSERT OR REPLACE INTO plain VALUES (?, ?)", params=True, shape=SHAPES.get)
