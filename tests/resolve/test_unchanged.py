"""A resolve run is skipped when nothing it reads has changed since the last one, on
both backends (DuckDB, a PostgreSQL server): the same counts, the same entities; a new
mention, judgement or record makes the next run resolve again, and so does a write
that lands while a run is under way. Every person here is fictional."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import threadline.resolve.stage as stage
from threadline.export.formats import OUTPUT_FILES, render_format
from threadline.export.json_export import build_export
from threadline.ingest.records import import_record_file, parse_column_map
from threadline.model import Document, Mention
from threadline.resolve.judgements import judged_pairs, record
from threadline.resolve.stage import resolve_workspace
from threadline.resolve.unchanged import META_KEY, fingerprint, stored_counts
from threadline.store import Workspace, open_workspace

TEXT = (
    "Amir Kessel met Bilal Kessel in Vostberg. Later, Amir Kessel drove to Kelderhaven "
    "with Chadi Romanek."
)


def _doc(ws: Workspace, text: str, name: str) -> Document:
    sha = hashlib.sha256(text.encode()).hexdigest()
    doc = Document(name, sha, f"{name}.txt", "text", text, title=name)
    ws.add_document(doc)
    return doc


def _mentions(doc: Document, names: list[tuple[str, str]], first: int = 0) -> list[Mention]:
    out, at = [], 0
    for i, (name, label) in enumerate(names, start=first):
        start = doc.text.index(name, at)
        at = start + len(name)
        out.append(
            Mention(f"{doc.id}-m{i}", doc.id, start, at, name, label, "test", 0.9, name.lower())
        )
    return out


NAMES = [
    ("Amir Kessel", "PERSON"),
    ("Bilal Kessel", "PERSON"),
    ("Vostberg", "PLACE"),
    ("Amir Kessel", "PERSON"),
    ("Kelderhaven", "PLACE"),
]


@pytest.fixture
def ws(ws_location: str) -> Iterator[Workspace]:
    with open_workspace(ws_location, create=True) as ws:
        with ws.transaction():
            doc = _doc(ws, TEXT, "d1")
            ws.add_mentions(_mentions(doc, NAMES))
        yield ws


class Counted:
    """The resolver, counting its runs."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, during: Any = None) -> None:
        self.runs = 0
        self._real = stage.resolve
        self._during = during
        monkeypatch.setattr(stage, "resolve", self)

    def __call__(self, *args: Any, **kw: Any) -> Any:
        self.runs += 1
        if self._during is not None:
            self._during()
        return self._real(*args, **kw)


def _entities(ws: Workspace) -> set[tuple[str, tuple[str, ...]]]:
    return {(e.id, tuple(sorted(e.mentions))) for e in ws.entities()}


def test_a_second_run_with_nothing_changed_is_skipped_with_the_same_counts(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    resolver = Counted(monkeypatch)
    first = resolve_workspace(ws)
    assert resolver.runs == 1 and first["entities"] == 4  # Amir, Bilal, two places
    entities = _entities(ws)
    assert stored_counts(ws) == first
    again = resolve_workspace(ws)
    assert resolver.runs == 1, "nothing changed: the resolver did not run"
    assert again == first and _entities(ws) == entities
    assert resolve_workspace(ws, force=True) == first and resolver.runs == 2


def test_a_forced_run_stores_its_fingerprint_and_the_next_run_is_skipped(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    resolver = Counted(monkeypatch)
    forced = resolve_workspace(ws, force=True)
    assert resolver.runs == 1 and stored_counts(ws) == forced
    assert resolve_workspace(ws) == forced and resolver.runs == 1


def test_a_run_that_fails_leaves_no_trace_for_the_next_check(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The run fails after its check found the workspace changed, and a mention is
    added before the next run: that run checks the workspace as it is then, not as
    the failed run saw it, so it stores its fingerprint and the one after is skipped."""
    real = stage.resolve

    def failing(*args: Any, **kw: Any) -> Any:
        raise RuntimeError("the resolver broke")

    monkeypatch.setattr(stage, "resolve", failing)
    with pytest.raises(RuntimeError):
        resolve_workspace(ws)
    monkeypatch.setattr(stage, "resolve", real)
    ws.add_mentions(_mentions(ws.document("d1"), [("Chadi Romanek", "PERSON")], first=9))
    counts = resolve_workspace(ws)
    assert counts["entities"] == 5 and stored_counts(ws) == counts


def test_records_linked_in_this_run_resolve_as_if_read_back(ws: Workspace, tmp_path: Path) -> None:
    """`records link` hands the linkage it has just stored to resolve: the entities are
    those of a run that reads the linkage back from the store."""
    from threadline.resolve.records import link_workspace_records

    people = tmp_path / "people.csv"
    people.write_text(
        "id,full_name,birth_date,doc\n1,Dorian Velasko,1984-03-12,X1234567\n"
        "2,Dorian Velasco,1984-03-12,X1234567\n3,Mira Sandoval,1990-07-01,\n",
        encoding="utf-8",
    )
    import_record_file(ws, people, parse_column_map(["name=full_name,dob=birth_date,doc=doc"]))
    with ws.transaction():
        _, resolution = link_workspace_records(ws, force=True)
        handed = resolve_workspace(ws, force=True, linked=resolution)
    by_hand = _entities(ws)
    read_back = resolve_workspace(ws, force=True)
    assert handed == read_back and _entities(ws) == by_hand
    dorian = [e for e in ws.entities() if "Dorian Velasko" in e.names]
    assert len(dorian) == 1 and len(dorian[0].mentions) == 2, "one person, two rows"


def test_a_new_mention_makes_the_next_run_resolve(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    resolver = Counted(monkeypatch)
    first = resolve_workspace(ws)
    doc = ws.document("d1")
    ws.add_mentions(_mentions(doc, [("Chadi Romanek", "PERSON")], first=9))
    assert stored_counts(ws) is None
    second = resolve_workspace(ws)
    assert resolver.runs == 2 and second["entities"] == first["entities"] + 1
    assert resolve_workspace(ws) == second and resolver.runs == 2


def test_a_judgement_makes_the_next_run_resolve(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    resolver = Counted(monkeypatch)
    first = resolve_workspace(ws)
    pairs = judged_pairs(ws.entities(), "Amir Kessel", "Bilal Kessel", "same")
    with ws.transaction():
        record(ws, "same", pairs, user="ana", origin="judge")  # stored, not re-run
    assert stored_counts(ws) is None
    second = resolve_workspace(ws)
    assert resolver.runs == 2
    assert second["entities"] == first["entities"] - 1 and second["judgements"] == 1
    assert resolve_workspace(ws) == second and resolver.runs == 2


def test_a_record_makes_the_next_run_resolve(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    resolver = Counted(monkeypatch)
    first = resolve_workspace(ws)
    people = tmp_path / "people.csv"
    people.write_text("id,full_name,birth_date\n1,Dorian Velasko,1984-03-12\n", encoding="utf-8")
    import_record_file(ws, people, parse_column_map(["name=full_name,dob=birth_date"]))
    assert stored_counts(ws) is None
    second = resolve_workspace(ws)
    assert resolver.runs == 2 and second["entities"] == first["entities"] + 1
    assert resolve_workspace(ws) == second and resolver.runs == 2


def test_a_write_landing_while_a_run_reads_makes_the_next_run_resolve(
    ws: Workspace, ws_location: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another user adds a mention after the run has read the workspace (on a server,
    through their own connection): the run must not store a fingerprint that covers
    a mention its entities lack."""
    doc = ws.document("d1")

    def another_user_writes() -> None:
        late = _mentions(doc, [("Chadi Romanek", "PERSON")], first=9)
        if ws.backend == "duckdb":  # one process holds the file: the same connection
            ws.add_mentions(late)
            return
        with open_workspace(ws_location) as other:
            other.add_mentions(late)

    resolver = Counted(monkeypatch, during=another_user_writes)
    first = resolve_workspace(ws)
    assert resolver.runs == 1 and first["entities"] == 4  # the run read before the write
    assert ws.meta(META_KEY) is None and stored_counts(ws) is None
    monkeypatch.setattr(resolver, "_during", None)
    second = resolve_workspace(ws)
    assert resolver.runs == 2 and second["entities"] == 5


def test_the_fingerprint_follows_the_rows_not_their_order(ws: Workspace) -> None:
    resolve_workspace(ws)
    taken = fingerprint(ws)
    assert taken is not None and fingerprint(ws) == taken
    rows = ws.mentions()
    with ws.transaction():  # the same rows, written again in another order
        ws.con.execute("DELETE FROM mentions")
        ws.add_mentions(reversed(rows))
    assert fingerprint(ws) == taken
    with ws.transaction():
        ws.con.execute("UPDATE mentions SET confidence = 0.5 WHERE id = $1", [rows[0].id])
    assert fingerprint(ws) != taken


def test_the_stored_fingerprint_is_in_no_export(ws: Workspace) -> None:
    resolve_workspace(ws)
    stored = json.loads(ws.meta(META_KEY) or "{}")
    secret = stored["fingerprint"]
    assert len(secret) == 64
    export = build_export(ws)
    texts = [json.dumps(export)]
    for fmt in OUTPUT_FILES:
        content = render_format(export, fmt)
        texts.extend(content.values() if isinstance(content, dict) else [content])
    for text in texts:
        assert secret not in text and META_KEY not in text
