"""Call detail records: counted, dated and timed per pair of numbers in DuckDB; bad rows
named; both reading paths agree; who was in contact during a window or an event;
memory stays flat as the file grows."""

from __future__ import annotations

import datetime as dt
import json
import random
import tracemalloc
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

from threadline.analyze.contacts import contacts, event_window
from threadline.cli.app import app
from threadline.errors import NotFoundError
from threadline.ingest import calls as call_engine
from threadline.ingest.mapping import parse_mapping
from threadline.mappings import MAPPINGS, SAMPLES
from threadline.pipeline import assign_phone, ingest_record_file
from threadline.store import mapped as store
from threadline.store import open_workspace

CDR = """version: 1
source: {country_code: "+32"}
calls: {caller: a, callee: b, start: t, duration: d}
"""
SUBSCRIBERS = """version: 1
source: {country_code: "+32"}
entities:
  user: {schema: Person, name: name, phone: number}
"""
A, B, C, D = "+32470000001", "+32470000002", "+32470000003", "+32470000004"


def _write(tmp_path: Path, name: str, text: str) -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def _cdr(rows: list[tuple[str, str, str, str]]) -> str:
    return "a,b,t,d\n" + "".join(",".join(r) + "\n" for r in rows)


CALLS = [
    ("0470 00 00 01", "0470 00 00 02", "2024-11-09 18:05:00", "60"),  # A -> B
    ("+32 470 00 00 02", "0032 470 00 00 01", "2024-11-09 18:20:00", "0:01:30"),  # B -> A
    ("0470/00.00.01", "0470 00 00 02", "09/11/2024 18:41", "10"),  # A -> B
    ("0470 00 00 01", "0470 00 00 03", "2024-11-09 18:30:00", "30"),  # A -> C
    ("0470 00 00 03", "0470 00 00 04", "2024-10-01 09:00:00", "5"),  # C -> D, weeks before
    ("0470 00 00 04", "0470 00 00 02", "2024-11-09 21:00:00", ""),  # D -> B, no duration
]


def _ingest(ws: Any, path: Path, text: str, **kw: Any) -> Any:
    return ingest_record_file(ws, path, parse_mapping(text, path="m.yaml"), resolve=False, **kw)


def test_calls_are_aggregated_per_pair_with_counts_directions_and_dates(tmp_path: Path) -> None:
    with open_workspace(tmp_path / "ws", create=True) as ws:
        r = _ingest(ws, _write(tmp_path, "cdr.csv", _cdr(CALLS)), CDR)
        assert (r.rows_read, r.accepted, r.refused, r.calls) == (6, 6, 0, 6)
        pairs = {(p.a, p.b): p for p in store.call_pairs(ws)}
        ab = pairs[(A, B)]
        assert (ab.calls, ab.a_to_b, ab.b_to_a) == (3, 2, 1)
        assert ab.first == dt.datetime(2024, 11, 9, 18, 5) and ab.last == dt.datetime(
            2024, 11, 9, 18, 41
        )
        assert ab.duration == 60 + 90 + 10 and ab.first_row == 2
        assert pairs[(B, D)].duration == 0 and pairs[(B, D)].a_to_b == 0


def test_owned_numbers_make_communicated_with_ties_whichever_file_comes_first(
    tmp_path: Path,
) -> None:
    subs = "number,name\n0470 00 00 01,Hamza Benzakour\n0470 00 00 02,Mohamed Tazrouti\n"
    with open_workspace(tmp_path / "ws", create=True) as ws:
        r = _ingest(ws, _write(tmp_path, "cdr.csv", _cdr(CALLS)), CDR)
        assert r.call_ties == 0  # nobody known yet
        s = ingest_record_file(
            ws, _write(tmp_path, "subs.csv", subs), parse_mapping(SUBSCRIBERS, path="s.yaml")
        )
        assert s.call_ties == 1
        (tie,) = [a for a in ws.assertions() if a.type == "communicated_with"]
        assert tie.detail.startswith("3 calls (2 from Hamza Benzakour, 1 from Mohamed Tazrouti)")
        facts = dict(tie.evidence.facts)
        assert facts["calls"] == 3 and facts["duration_seconds"] == 160
        assert facts["first_contact"] == "2024-11-09T18:05:00"
        assert tie.evidence.row == 2 and tie.evidence.document == r.document
        entity_ties = [t for t in ws.ties() if t.type == "communicated_with"]
        assert len(entity_ties) == 1


BAD_CALLS = [
    ("0470 00 00 01", "0470 00 00 02", "2024-11-09 18:05:00", "60"),  # 2 good
    ("0470 00 00 01", "call me", "2024-11-09 18:06:00", "60"),  # 3 bad callee
    ("0470 00 00 01", "0470 00 00 02", "2024-02-30 18:06:00", "60"),  # 4 impossible date
    ("0470 00 00 01", "0470 00 00 02", "2024-11-09 18:07:00", "a while"),  # 5 bad duration
    ("0470 00 00 01", "0470 00 00 01", "2024-11-09 18:08:00", "1"),  # 6 to itself
    ("", "0470 00 00 02", "2024-11-09 18:09:00", "1"),  # 7 no caller
    ("0470 00 00 01", "0470 00 00 02", "", "1"),  # 8 no time
    ("0470 00 00 03", "0470 00 00 02", "2024-11-09 18:10:00", "12"),  # 9 good
]
REASONS = {
    3: "callee 'call me' is not a phone number",
    4: "is not a date and time, or an impossible one",
    5: "duration 'a while' is not seconds",
    6: "a call from +32470000001 to itself",
    7: "no caller number",
    8: "no start time",
}


@pytest.mark.parametrize("fast", [True, False])
def test_bad_calls_are_named_by_row_and_the_good_ones_land(tmp_path: Path, fast: bool) -> None:
    with open_workspace(tmp_path / "ws", create=True) as ws:
        p = _write(tmp_path, "cdr.csv", _cdr(BAD_CALLS))
        r = _ingest(ws, p, CDR, fast=fast)
        assert (r.rows_read, r.accepted, r.refused) == (8, 2, 6)
        got = {x.row: x.reason for x in r.problems}
        assert set(got) == set(REASONS)
        for row, words in REASONS.items():
            assert words in got[row], (row, got[row])
        assert all(str(x).startswith(f"{p}, row ") for x in r.problems)
        rows = ws.con.execute("SELECT row_ FROM calls ORDER BY row_").fetchall()
        assert [x[0] for x in rows] == [2, 9]


def test_ragged_rows_nul_bytes_and_a_stray_encoding_fall_back_to_the_row_reader(
    tmp_path: Path,
) -> None:
    text = (
        _cdr(CALLS[:2])
        + "0470 00 00 01,0470 00 00 02\n"
        + "0470 00 00 01,0470\x0000 00 02,2024-11-09 18:00:00,5\n"
    )
    data = text.encode() + "0470 00 00 03,0470 00 00 04,2024-11-09 19:00:00,7,Café\n".encode(
        "cp1252"
    )
    data += b"0470 00 00 03,0470 00 00 04,2024-11-09 19:30:00,8\n"
    p = tmp_path / "cdr.csv"
    p.write_bytes(data)
    with open_workspace(tmp_path / "ws", create=True) as ws:
        r = _ingest(ws, p, CDR)
        got = {x.row: x.reason for x in r.problems}
        assert "has 2 cells" in got[4] and "NUL bytes" in got[5] and "has 5 cells" in got[6]
        assert (r.accepted, r.refused) == (3, 3)


def _generated(path: Path, rows: int, seed: int = 7) -> Path:
    rnd = random.Random(seed)
    numbers = [f"+32 470 {i // 100:02d} {i % 100:02d} 00" for i in range(300)]
    start = dt.datetime(2024, 10, 1)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("a,b,t,d\n")
        for _ in range(rows):
            a, b = rnd.sample(numbers, 2)
            t = start + dt.timedelta(seconds=rnd.randrange(60 * 86400))
            fh.write(f"{a},{b},{t:%Y-%m-%d %H:%M:%S},{rnd.randrange(1, 900)}\n")
    return path


def test_the_fast_and_the_row_by_row_paths_store_the_same_calls(tmp_path: Path) -> None:
    p = _generated(tmp_path / "g.csv", 3000)
    stored = []
    for fast in (True, False):
        with open_workspace(tmp_path / f"ws{fast}", create=True) as ws:
            r = _ingest(ws, p, CDR, fast=fast)
            assert r.accepted == 3000
            stored.append(
                ws.con.execute(
                    "SELECT row_, sheet, caller, callee, start_, duration FROM calls ORDER BY row_"
                ).fetchall()
            )
    assert stored[0] == stored[1]


def test_call_records_in_json_lines_and_workbooks(tmp_path: Path) -> None:
    lines = "".join(json.dumps({"a": a, "b": b, "t": t, "d": d}) + "\n" for a, b, t, d in CALLS)
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "November"
    sheet.append(["a", "b", "t", "d"])
    for a, b, t, d in CALLS:
        sheet.append([a, b, t, int(d) if d.isdigit() else d])
    wb.save(tmp_path / "cdr.xlsx")
    for name in ("cdr.jsonl", "cdr.xlsx"):
        if name.endswith("jsonl"):
            _write(tmp_path, name, lines)
        with open_workspace(tmp_path / f"ws-{name}", create=True) as ws:
            r = _ingest(ws, tmp_path / name, CDR)
            assert r.accepted == 6, r.problems
            pair = next(p for p in store.call_pairs(ws) if (p.a, p.b) == (A, B))
            assert pair.calls == 3
            if name.endswith("xlsx"):
                assert pair.sheet == "November"


# -- who was in contact when -------------------------------------------------------------------


def _case(tmp_path: Path) -> Any:
    ws = open_workspace(tmp_path / "ws", create=True)
    _ingest(ws, _write(tmp_path, "cdr.csv", _cdr(CALLS)), CDR)
    subs = "number,name\n0470 00 00 01,Hamza Benzakour\n0470 00 00 02,Mohamed Tazrouti\n0470 00 00 03,Jeroen van Haaftrecht\n"
    ingest_record_file(
        ws, _write(tmp_path, "subs.csv", subs), parse_mapping(SUBSCRIBERS, path="s.yaml")
    )
    return ws


def test_contacts_in_a_window_with_the_person_asked_about_first(tmp_path: Path) -> None:
    with _case(tmp_path) as ws:
        found = contacts(
            ws,
            who="Hamza Benzakour",
            start=dt.datetime(2024, 11, 9, 18),
            end=dt.datetime(2024, 11, 9, 20),
        )
        assert [(c.a.names, c.b.names, c.calls, c.calls_ab) for c in found] == [
            (["Hamza Benzakour"], ["Mohamed Tazrouti"], 3, 2),
            (["Hamza Benzakour"], ["Jeroen van Haaftrecht"], 1, 1),
        ]
        assert found[0].evidence[0]["row"] == 2
        weeks_before = contacts(ws, start=dt.datetime(2024, 10, 1), end=dt.datetime(2024, 10, 2))
        assert [(c.a.names, c.b.number) for c in weeks_before] == [(["Jeroen van Haaftrecht"], D)]
        with pytest.raises(NotFoundError, match="no phone number is attributed to 'Nobody'"):
            contacts(ws, who="Nobody")


def test_an_analysts_attribution_is_evidence_and_makes_the_tie(tmp_path: Path) -> None:
    with _case(tmp_path) as ws:
        out = assign_phone(
            ws,
            "0470 00 00 04",
            "Thijs de Roover",
            analyst="ana",
            country_code="+32",
            note="seen on CCTV",
        )
        assert out["number"] == D
        doc = ws.document(out["document"])
        assert doc.text.startswith(f"ana states that {D} is used by Thijs de Roover.")
        ties = {(t.detail.split(" (")[0]) for t in ws.ties() if t.type == "communicated_with"}
        assert "1 call" in ties  # D -> B, and C <-> D makes another
        names = {e.id: e.name for e in ws.entities()}
        pairs = {
            frozenset((names[t.source], names[t.target]))
            for t in ws.ties()
            if t.type == "communicated_with"
        }
        assert frozenset(("Thijs de Roover", "Jeroen van Haaftrecht")) in pairs


EVENTS = """version: 1
entities:
  incident:
    schema: Event
    name: incident
    properties:
      start: {column: start, type: datetime}
      end: {column: end, type: datetime}
"""


def test_contacts_during_an_event_use_its_recorded_start_and_end(tmp_path: Path) -> None:
    events = "incident,start,end\nLantern Market attack,09/11/2024 18:50,09/11/2024 19:20\n"
    with _case(tmp_path) as ws:
        ingest_record_file(
            ws, _write(tmp_path, "events.csv", events), parse_mapping(EVENTS, path="e.yaml")
        )
        w = event_window(ws, "lantern market attack", margin=dt.timedelta(minutes=30))
        assert (w.start, w.end) == (
            dt.datetime(2024, 11, 9, 18, 20),
            dt.datetime(2024, 11, 9, 19, 50),
        )
        found = contacts(ws, start=w.start, end=w.end)
        assert [(c.a.names, c.b.names, c.calls) for c in found] == [
            (["Hamza Benzakour"], ["Mohamed Tazrouti"], 2),  # 18:20 and 18:41; 18:05 is outside
            (["Hamza Benzakour"], ["Jeroen van Haaftrecht"], 1),
        ]
        with pytest.raises(NotFoundError, match="no event called 'Market fire'"):
            event_window(ws, "Market fire")


def test_the_contacts_command_reads_an_event_window(tmp_path: Path) -> None:
    with _case(tmp_path):
        pass
    result = CliRunner().invoke(
        app,
        [
            "contacts",
            "Hamza Benzakour",
            "--from",
            "2024-11-09 18:00",
            "--to",
            "2024-11-09 19:00",
            "-w",
            str(tmp_path / "ws"),
            "--json",
        ],
    )
    assert result.exit_code == 0, result.output
    out = json.loads(result.stdout)
    assert out["window"]["start"] == "2024-11-09T18:00:00"
    assert [c["b"]["names"] for c in out["contacts"]] == [
        ["Mohamed Tazrouti"],
        ["Jeroen van Haaftrecht"],
    ]
    bad = CliRunner().invoke(
        app, ["contacts", "--from", "2024-11-31 18:00", "-w", str(tmp_path / "ws")]
    )
    assert bad.exit_code == 2 and "impossible" in bad.output


# -- flat memory -----------------------------------------------------------------------------


def test_reading_calls_takes_flat_memory_as_the_file_grows(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The row-by-row path (the one in Python) sends rows to DuckDB in chunks: its peak
    does not grow with the file. (DuckDB's own memory is capped by its memory limit.)"""
    monkeypatch.setattr(call_engine, "CHUNK", 2000)
    mapping = parse_mapping(CDR, path="m.yaml")
    call_engine.read_calls(_generated(tmp_path / "warm.csv", 100), mapping, fast=False).close()
    peaks = []  # (modules imported on first use are loaded above, outside the measure)
    for rows in (4000, 16000):
        p = _generated(tmp_path / f"g{rows}.csv", rows)
        tracemalloc.start()
        reading = call_engine.read_calls(p, mapping, fast=False)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert reading.accepted == rows
        reading.close()
        peaks.append(peak)
    assert peaks[1] < peaks[0] * 1.5 + 512 * 1024, peaks


def test_the_call_engine_caps_its_memory() -> None:
    engine = call_engine.CallEngine()
    try:
        (row,) = engine.rows("SELECT current_setting('memory_limit')")
        number, unit = str(row[0]).split()
        mib = float(number) * {"KiB": 1 / 1024, "MiB": 1, "GiB": 1024, "MB": 0.954, "GB": 954}[unit]
        assert 256 <= mib <= 1024, row[0]  # capped: spills to disk beyond it
    finally:
        engine.close()


def test_the_sample_cdr_reads_on_the_fast_path() -> None:
    from threadline.ingest.mapping import load_mapping

    reading = call_engine.read_calls(SAMPLES / "calls.csv", load_mapping(MAPPINGS / "calls.yaml"))
    try:
        assert reading.fast_path and reading.accepted == reading.rows_read == 82
    finally:
        reading.close()


def test_retracting_a_call_record_file_removes_its_calls_and_ties(tmp_path: Path) -> None:
    from threadline.pipeline import retract

    with _case(tmp_path) as ws:
        cdr = next(d for d in ws.documents() if d.title == "cdr.csv")
        assert store.call_count(ws, cdr.id) == 6
        retract(ws, cdr.id)
        assert store.call_count(ws, cdr.id) == 0
        assert not [t for t in ws.ties() if t.type == "communicated_with"]
        assert store.sources(ws) and all(s.document != cdr.id for s in store.sources(ws))


@pytest.mark.parametrize("fast", [True, False])
def test_a_call_with_nul_bytes_is_refused_on_either_path(tmp_path: Path, fast: bool) -> None:
    p = tmp_path / "cdr.csv"
    p.write_bytes(
        _cdr(CALLS[:2]).encode() + b"0470 00\x00 00 01,0470 00 00 02,2024-11-09 18:00:00,5\n"
    )
    with open_workspace(tmp_path / "ws", create=True) as ws:
        r = _ingest(ws, p, CDR, fast=fast)
        assert (r.accepted, r.refused) == (2, 1)
        assert [(x.row, x.reason) for x in r.problems] == [
            (4, "contains NUL bytes (binary or damaged data)")
        ]
