"""Statements are written once for both backends: nothing rewrites them at run time, so
a statement in the old ``?`` style fails on PostgreSQL instead of being translated, and
the schema is written in the types both backends share."""

from __future__ import annotations

import re

import pytest

from threadline.store import Workspace, dialect, open_workspace, postgres
from threadline.store.schema import MIGRATIONS


def test_no_rewriter_is_left() -> None:
    for gone in ("to_postgres", "_placeholders", "_column_types"):
        assert not hasattr(dialect, gone), gone
    for gone in ("SqlCaches", "_NUMBERED"):
        assert not hasattr(postgres, gone), gone
    assert not hasattr(postgres.PgConnection, "_translate")


def test_a_question_mark_statement_reaches_postgresql_as_written(pg_url: str) -> None:
    """On PostgreSQL only (DuckDB binds ``?`` itself): the rule is about what the server
    receives."""
    with open_workspace(pg_url, create=True) as ws:
        _statements_reach_the_server_as_written(ws)


def _statements_reach_the_server_as_written(ws: Workspace) -> None:
    with pytest.raises(postgres.ERRORS):
        ws.con.execute("SELECT value FROM meta WHERE key = ?", ["schema_version"])
    # the same statement written for both backends runs
    assert ws.con.execute("SELECT count(*) FROM meta WHERE key = $1", ["nothing"]).fetchone() == (
        0,
    )
    # a literal % or ? is text: nothing escapes or replaces it
    assert ws.con.execute("SELECT '50%?' || $1", ["!"]).fetchone() == ("50%?!",)


@pytest.mark.parametrize("statement", [s for step in MIGRATIONS for s in step])
def test_every_migration_statement_is_written_for_both_backends(statement: str) -> None:
    # no DuckDB-only type names after a column's name: PostgreSQL runs it as written
    only_duckdb = re.compile(r"\w\s+(BLOB|JSON|DOUBLE(?!\s+PRECISION))\b", re.IGNORECASE)
    assert not only_duckdb.search(statement), statement
