"""The schema's history is frozen: one baseline, then migrations that are only appended.

A migration that has been committed is never edited: a workspace that ran it would
differ from one that runs the edited text. So each migration's SHA-256 is written
here when it is added, and the test fails when a committed migration changes (or a
new one arrives without its hash).
"""

from __future__ import annotations

import pytest

from threadline.store import Workspace, open_workspace
from threadline.store.schema import LATEST_VERSION, MIGRATIONS, digest

#: SHA-256 of each committed migration (:func:`threadline.store.schema.digest`),
#: appended with the migration and never edited.
FROZEN = [
    "fb24b0d36856eba21d18efa88fd753337450955a0a7280b11ad3d20ee25c3b37",  # 0 -> 1: baseline v1
]


def test_every_committed_migration_is_unchanged_and_each_new_one_has_its_hash() -> None:
    found = [digest(m) for m in MIGRATIONS]
    assert len(found) == len(FROZEN), (
        "a migration was added or removed: append its digest() to FROZEN "
        "(migrations are only ever appended)"
    )
    for i, (now, then) in enumerate(zip(found, FROZEN, strict=True)):
        assert now == then, (
            f"migration {i} -> {i + 1} changed after it was committed: append a new "
            "migration instead of editing this one"
        )
    assert len(MIGRATIONS) == LATEST_VERSION


def test_editing_a_migration_changes_its_digest() -> None:
    baseline = list(MIGRATIONS[0])
    edited = [*baseline[:-1], baseline[-1].replace("NOT NULL", "", 1)]
    assert digest(edited) != digest(baseline)
    assert digest([*baseline, "CREATE INDEX x ON meta (value)"]) != digest(baseline)


@pytest.fixture
def ws(ws_location: str) -> Workspace:
    workspace = open_workspace(ws_location, create=True)
    yield workspace  # type: ignore[misc]
    workspace.close()


def _indexed(ws: Workspace) -> set[tuple[str, str]]:
    """(table, column) of every single-column secondary index."""
    if ws.backend == "postgresql":
        rows = ws.con.execute(
            "SELECT t.relname, a.attname FROM pg_index i "
            "JOIN pg_class t ON t.oid = i.indrelid "
            "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = i.indkey[0] "
            "WHERE NOT i.indisprimary AND NOT i.indisunique AND i.indnatts = 1 "
            "AND t.relnamespace = to_regnamespace(current_schema())"
        ).fetchall()
    else:
        rows = ws.con.execute(
            "SELECT table_name, expressions FROM duckdb_indexes() "
            "WHERE NOT is_unique AND NOT is_primary"
        ).fetchall()
    return {(str(t), str(c).strip("[]'\"")) for t, c in rows}


def test_the_join_columns_are_indexed_on_both_backends(ws: Workspace) -> None:
    wanted = {
        ("mentions", "document"),
        ("assertions", "document"),
        ("claims", "document"),
        ("entity_mentions", "entity"),
        ("ties", "source"),
        ("ties", "target"),
        ("judgement_mentions", "mention"),
        ("records", "document"),
        ("calls", "document"),
        ("phone_owners", "number"),
        ("correction_spans", "document"),
    }
    assert wanted <= _indexed(ws)


def test_a_judgement_side_naming_no_judgement_is_refused(ws: Workspace) -> None:
    with pytest.raises(ws.db_errors), ws.transaction():
        ws.con.execute("INSERT INTO judgement_mentions VALUES ($1, $2, $3)", [99, "left", "m1"])
    count = ws.con.execute("SELECT count(*) FROM judgement_mentions").fetchone()
    assert count == (0,)


def test_times_of_record_are_iso_text_the_same_on_both_backends(ws: Workspace) -> None:
    ws.log("extract", "3 documents")
    [(done_at,)] = ws.con.execute("SELECT done_at FROM stage_log").fetchall()
    assert isinstance(done_at, str) and done_at.endswith("+00:00") and done_at[10] == "T"
