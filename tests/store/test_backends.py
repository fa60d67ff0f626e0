"""Every store module on both backends: what is written is read back the same way.

Runs once on a DuckDB folder and once on a PostgreSQL database (``ws_location``),
so an SQL construct that only one backend understands fails here.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from threadline.errors import NotFoundError
from threadline.model import Assertion, Claim, Document, Entity, Evidence, Mention, Tie
from threadline.model.identity import JudgementSide, MergeStep
from threadline.model.person_record import LinkReason, PersonRecord, RecordLink
from threadline.model.watchlist import ListedName, Watchlist, WatchlistEntry, WatchlistHit
from threadline.store import Workspace, open_workspace
from threadline.store import grades as grades_store
from threadline.store import judgements as judgements_store
from threadline.store import notes as notes_store
from threadline.store import records as records_store
from threadline.store import watchlists as watchlists_store


def _doc(text: str, source: str, published: str | None = None) -> Document:
    sha = Workspace.put_blob_hash(text.encode("utf-8"))
    return Document(
        id=f"d{sha[:12]}", sha256=sha, source=source, kind="text", text=text, published=published
    )


def _ev(doc: Document, start: int, end: int) -> Evidence:
    return Evidence(doc.id, start, end, doc.text[start:end], "test", 0.9)


@pytest.fixture
def ws(ws_location: str) -> Workspace:
    with open_workspace(ws_location, create=True) as opened:
        yield opened


@pytest.fixture
def two_docs(ws: Workspace) -> tuple[Document, Document]:
    a = _doc("Karim Oudra met Lena Marsh in Vostberg.", "in/a.txt", "2016-03-02")
    b = _doc("Lena Marsh phoned Karim Oudra.", "in/b.txt", "2015-11")
    for d in (a, b):
        ws.put_blob(d.text.encode("utf-8"))
        ws.add_document(d)
    return a, b


def test_extraction_is_replaced_per_document_with_its_claims(
    ws: Workspace, two_docs: tuple[Document, Document]
) -> None:
    a, _ = two_docs
    m = Mention("m1", a.id, 0, 11, "Karim Oudra", "PERSON", "test", 0.9, "karim oudra")
    claim = Claim("c1", a.id, "e1", "killed", 3.0, "", "", _ev(a, 0, 11), value_text="three")
    assertion = Assertion("s1", a.id, "tie", "met", "m1", "m2", "", _ev(a, 0, 26))
    for _ in range(2):  # the second time replaces the first (upserts, no duplicates)
        # (a key twice in one batch: the first row is kept, as DuckDB does)
        with ws.transaction():
            ws.replace_extraction(a.id, "test", [m], [assertion, assertion], [claim, claim])
    assert [x.text for x in ws.mentions()] == ["Karim Oudra"]
    assert [(x.id, x.evidence.quote) for x in ws.assertions()] == [
        ("s1", "Karim Oudra met Lena Marsh")
    ]
    [stored] = ws.claims()
    assert (stored.value, stored.value_text, stored.value_high) == (3.0, "three", None)
    assert ws.extracted_documents("test") == {a.id}
    ws.delete_document(a.id)
    assert ws.mentions() == [] and ws.claims() == [] and ws.extracted_documents("test") == set()


def test_one_documents_mentions_and_assertions_are_read_alone(
    ws: Workspace, two_docs: tuple[Document, Document]
) -> None:
    """What the per-document review reads (issue 18): by position, that document only."""
    a, b = two_docs
    m1 = Mention("m1", a.id, 16, 26, "Lena Marsh", "PERSON", "test", 0.9, "lena marsh")
    m2 = Mention("m2", a.id, 0, 11, "Karim Oudra", "PERSON", "test", 0.9, "karim oudra")
    m3 = Mention("m3", b.id, 0, 10, "Lena Marsh", "PERSON", "test", 0.9, "lena marsh")
    said = Assertion("s1", a.id, "tie", "met", "m2", "m1", "", _ev(a, 0, 26))
    with ws.transaction():
        ws.replace_extraction(a.id, "test", [m1, m2], [said], [])
        ws.replace_extraction(b.id, "test", [m3], [], [])
    assert [m.id for m in ws.document_mentions(a.id)] == ["m2", "m1"]
    assert [(x.id, x.a, x.b, x.evidence.quote) for x in ws.document_assertions(a.id)] == [
        ("s1", "m2", "m1", "Karim Oudra met Lena Marsh")
    ]
    assert [m.id for m in ws.document_mentions(b.id)] == ["m3"]
    assert ws.document_assertions(b.id) == [] and ws.document_mentions("nope") == []


def test_resolution_metrics_and_tie_summaries_read_back(
    ws: Workspace, two_docs: tuple[Document, Document]
) -> None:
    a, b = two_docs
    people = [
        Entity("e1", "Person", "Karim Oudra", ["Karim Oudra"], ["K.O."], ["m1"], ["courier"]),
        Entity("e2", "Person", "Lena Marsh", ["Lena Marsh"], [], ["m2", "m3"], data={"x": 1}),
    ]
    ties = [
        Tie("t1", "met", "e1", "e2", "in Vostberg", 0.8, [_ev(a, 0, 26), _ev(b, 0, 17)]),
        Tie("t2", "phoned", "e2", "e1", "", 0.6, [_ev(b, 0, 17)], hedged=True),
    ]
    with ws.transaction():
        ws.replace_resolution(people, ties)
        ws.replace_metrics({"e1": {"degree": 2, "betweenness": 0.5}, "e2": {"degree": 1}})
    assert ws.entities() == people
    assert ws.ties() == ties
    assert ws.metrics() == {"e1": {"degree": 2.0, "betweenness": 0.5}, "e2": {"degree": 1.0}}
    summaries = {r[0]: r for r in ws.tie_summaries()}
    # first_seen is the earliest publication date of the documents stating the tie
    assert summaries["t1"][7] == "2015-11" and summaries["t2"][7] == "2015-11"
    assert summaries["t2"][5] is True and summaries["t1"][8] == "in Vostberg"
    assert [e.quote for e in ws.tie_evidence(["t1", "missing"])["t1"]] == [
        "Karim Oudra met Lena Marsh",
        "Lena Marsh phoned",
    ]
    assert ws.counts() == {
        "documents": 2,
        "mentions": 0,
        "assertions": 0,
        "claims": 0,
        "entities": 2,
        "ties": 2,
    }


def test_judgements_are_appended_with_consecutive_ids_and_merge_steps_replaced(
    ws: Workspace,
) -> None:
    left = JudgementSide("e1", "Karim Oudra", frozenset({"m1"}))
    right = JudgementSide("e2", "K. Oudra", frozenset({"m2", "m3"}))
    new = judgements_store.NewJudgement
    first = judgements_store.append_judgements(
        ws, [new("same", left, right), new("unsure", left, right)], user="ana", origin="merge"
    )
    undo = judgements_store.append_judgements(
        ws, [new("undo", undoes=first[0].id)], user="bo", origin="undo"
    )
    loaded = judgements_store.load_judgements(ws)
    assert [(j.id, j.batch, j.verdict, j.user) for j in loaded] == [
        (1, 1, "same", "ana"),
        (2, 1, "unsure", "ana"),
        (3, 3, "undo", "bo"),
    ]
    assert loaded[0].right is not None and loaded[0].right.mentions == {"m2", "m3"}
    assert isinstance(loaded[0].created_at, datetime) and undo[0].undoes == 1
    steps = [MergeStep("name", "m1", "m2", "karim oudra", "merged", "")]
    with ws.transaction():
        judgements_store.replace_merge_steps(ws, steps * 2)
        judgements_store.replace_merge_steps(ws, steps)
    assert judgements_store.load_merge_steps(ws) == steps


def test_watchlists_are_replaced_whole_and_hits_kept_per_list(ws: Workspace) -> None:
    entry = WatchlistEntry("L1", "T1", "Person", "Karim Oudra", [ListedName("Karim Oudra")])
    org = WatchlistEntry("L1", "T2", "Organization", "Grey Quay", [ListedName("Grey Quay")])
    watchlists_store.replace_watchlist(ws, Watchlist("L1", "l1.csv", "csv", [entry]), sha256="1")
    watchlists_store.replace_watchlist(
        ws, Watchlist("L1", "l1.csv", "csv", [entry, org]), sha256="2"
    )
    hit = WatchlistHit("e1", "L1", "T1", "Karim Oudra", "Karim Oudra", 0.97, "same name")
    watchlists_store.replace_watchlist_hits(ws, [hit])
    [listed] = watchlists_store.watchlists(ws)
    assert (listed["entries"], listed["persons"], listed["organizations"], listed["hits"]) == (
        2,
        1,
        1,
        1,
    )
    assert watchlists_store.watchlist_hits(ws) == [hit]
    assert watchlists_store.delete_watchlist(ws, "L1")
    assert not watchlists_store.delete_watchlist(ws, "L1")
    assert watchlists_store.watchlist_entries(ws) == [] and not watchlists_store.has_watchlists(ws)


def test_records_links_and_settings_survive_a_second_write(
    ws: Workspace, two_docs: tuple[Document, Document]
) -> None:
    a, _ = two_docs
    rec = PersonRecord("r1", a.id, 2, "17", "Karim Oudra", "m9", dob="1989-09-15")
    mention = Mention("m9", a.id, 0, 11, "Karim Oudra", "PERSON", "records", 1.0, "karim oudra")
    with ws.transaction():
        records_store.add_records(ws, [rec], [mention])
        records_store.add_records(ws, [rec], [])  # same id again: replaced, not doubled
    assert records_store.records(ws) == [rec]
    link = RecordLink("r1", "r2", "model", 4.2, 0.95, (LinkReason("name", "exact", 5.1),))
    with ws.transaction():
        records_store.replace_record_links(ws, [link], "fp1")
        records_store.replace_record_links(ws, [link], "fp2")
    assert records_store.record_links(ws) == [link]
    assert records_store.links_fingerprint(ws) == "fp2"
    records_store.set_threshold(ws, 0.8)
    records_store.set_threshold(ws, 0.9)
    assert records_store.threshold(ws) == 0.9


def test_grades_notes_and_asserted_ties_are_append_only(
    ws: Workspace, two_docs: tuple[Document, Document]
) -> None:
    a, _ = two_docs
    grade = grades_store.Grade("", a.id, "document", "admiralty", "B", "2", None, 0.8, "ana", "")
    grades_store.add_grade(ws, grade)
    later = grades_store.Grade("", a.id, "document", "admiralty", "A", "1", None, 1.0, "bo", "")
    grades_store.add_grade(ws, later)
    assert [g.code for g in grades_store.grades(ws)] == ["B2", "A1"]
    assert grades_store.current_grades(ws)[a.id].code == "A1"

    note = notes_store.add_note(ws, target_kind="entity", target="e1", analyst="ana", text="x%?")
    assert [n.text for n in notes_store.notes_for(ws, "e1")] == ["x%?"]
    notes_store.retract_note(ws, note.id, analyst="bo")
    assert notes_store.notes_for(ws, "e1") == []
    [kept] = notes_store.notes_for(ws, "e1", include_retracted=True)
    assert kept.retracted_by == "bo" and kept.retracted_at is not None
    assert notes_store.list_notes(ws, include_retracted=True)[1] == 1

    tie = notes_store.add_asserted_tie(
        ws, type="associate", source="e1", target="e2", analyst="ana", statement="seen together"
    )
    notes_store.retract_asserted_tie(ws, tie.id, analyst="ana")
    assert notes_store.asserted_ties(ws) == []
    assert [t.statement for t in notes_store.asserted_ties(ws, include_retracted=True)] == [
        "seen together"
    ]
    with pytest.raises(NotFoundError):
        notes_store.retract_note(ws, "nope", analyst="ana")


def test_stage_log_and_portable_sql_through_con(ws: Workspace) -> None:
    ws.log("extract", "2 documents")
    rows = ws.con.execute("SELECT stage, detail FROM stage_log").fetchall()
    assert rows == [("extract", "2 documents")]
    got_null = ws.con.execute("SELECT CAST($1 AS TEXT) IS NULL, $2 || 'b'", [None, "a"])
    assert got_null.fetchone() == (True, "ab")
    ws.con.execute(
        "CREATE TABLE t_demo (k TEXT PRIMARY KEY, n INTEGER, x DOUBLE PRECISION, raw BYTEA)"
    )
    ws.con.executemany("INSERT INTO t_demo VALUES ($1, $2, $3, $4)", [["a", 1, 0.5, b"\x00\xff"]])
    ws.con.execute(
        "INSERT INTO t_demo VALUES ($1, $2, $3, $4) ON CONFLICT (k) DO UPDATE "
        "SET n = excluded.n, x = excluded.x, raw = excluded.raw",
        ["a", 2, 1.5, b"z"],
    )
    assert ws.con.execute("SELECT k, n, x, raw FROM t_demo").fetchall() == [("a", 2, 1.5, b"z")]
    assert ws.con.execute("SELECT k FROM t_demo WHERE k = 'nope'").fetchone() is None
    # a literal % or ? stays itself, with and without parameters
    assert ws.con.execute("SELECT count(*) FROM t_demo WHERE k LIKE 'a%'").fetchone() == (1,)
    got = ws.con.execute("SELECT '50%?', k FROM t_demo WHERE k LIKE $1", ["a%"]).fetchall()
    assert got == [("50%?", "a")]


def test_calls_load_from_the_engines_parquet_file_and_their_ties_are_replaced(
    ws: Workspace, two_docs: tuple[Document, Document], tmp_path: Path
) -> None:
    """The call engine hands its calls over as a Parquet file: both backends load every
    row (a DuckDB workspace with its memory capped meanwhile, then restored), and the
    call ties of a file are deleted before they are drawn again."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from threadline.store import mapped as mapped_store

    a, b = two_docs
    first = datetime(2021, 3, 1, 9, 30)
    calls = pa.table(
        {
            "document": [a.id, a.id, a.id],
            "row_": pa.array([2, 3, 4], type=pa.int64()),
            "sheet": pa.array([None, None, None], type=pa.string()),
            "caller": ["+441", "+442", "+441"],
            "callee": ["+442", "+441", "+443"],
            "start_": [first, first.replace(hour=10), first.replace(hour=11)],
            "duration": pa.array([60, None, 5], type=pa.int64()),
        }
    )
    target = tmp_path / "calls.parquet"
    pq.write_table(calls, target)
    memory = "SELECT current_setting('memory_limit')"
    before = ws.con.execute(memory).fetchone() if ws.backend == "duckdb" else None
    with ws.transaction():
        mapped_store.add_calls_from_parquet(ws, target)
    if ws.backend == "duckdb":
        assert ws.con.execute(memory).fetchone() == before
    assert mapped_store.call_count(ws, a.id) == 3 and mapped_store.call_count(ws, b.id) == 0
    got = mapped_store.calls_between(ws, "+441", "+442")
    assert [(r[1], r[3], r[6]) for r in got] == [(2, "+441", 60), (3, "+442", None)]
    tie = Assertion("s1", a.id, "tie", "communicated_with", "m1", "m2", "", _ev(a, 0, 11))
    other = Assertion("s2", b.id, "tie", "met", "m1", "m2", "", _ev(b, 0, 10))
    with ws.transaction():
        ws.add_assertions([tie, other])
        mapped_store.delete_assertions_of(ws, [a.id])
    assert [s.id for s in ws.assertions()] == ["s2"]
