"""Edge lists as graph-only sources: every tie's evidence is the file's row, quoted exactly;
bad rows are named and skipped, the rest kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from threadline.errors import InputError
from threadline.extract.stage import extract_workspace
from threadline.ingest.edgelist import EdgeListOptions, edge_list_extraction, parse_rows
from threadline.pipeline import import_graph
from threadline.store import open_workspace

TEXT = (
    '"";from;to;kind\r\n'
    '"1";"Tarik ""T"" Benhadi";Omar Zeroual;family\r\n'
    "2;Omar Zeroual;Karim Fadili;phone calls\r\n"
    "3;NA;Karim Fadili;associate\r\n"
    "4;Karim Fadili;Karim Fadili;associate\r\n"
    "5;Lena Marsh\r\n"
    "6; Sean O'Brien ;Lena Marsh;travelled with\r\n"
)


def test_parse_rows_keeps_exact_spans() -> None:
    rows = parse_rows(TEXT, ";")
    assert len(rows) == 7
    for row in rows:
        for f in row.fields:
            raw = TEXT[f.start : f.end]
            assert raw.replace('""', '"') == f.value
    assert rows[1].line == 2 and rows[1].fields[1].value == 'Tarik "T" Benhadi'


def test_rows_become_ties_with_the_row_as_evidence() -> None:
    out = edge_list_extraction("d1", TEXT, EdgeListOptions(type_column="kind"), path="ties.csv")
    assert out.columns == ("from", "to", "kind")
    assert out.rows == 6
    assert [r for r, _ in out.skipped] == [4, 5, 6]
    assert "NA" in out.skipped[0][1] and "itself" in out.skipped[1][1]
    types = {(a.type, a.detail) for a in out.assertions}
    assert ("family", "edge in ties.csv") in types
    assert ("travelled_with", "edge in ties.csv") in types
    assert ("other", "phone calls") in types  # an unknown label is kept as the detail
    for a in out.assertions:
        ev = a.evidence
        assert TEXT[ev.start : ev.end] == ev.quote and ev.row is not None
        assert ev.quote == TEXT.splitlines()[ev.row - 1]
    for m in out.mentions:
        assert TEXT[m.start : m.end].replace('""', '"') == m.text
    assert "Sean O'Brien" in out.names  # spaces around a name are not part of it


def test_unknown_column_is_an_error_naming_the_columns() -> None:
    with pytest.raises(InputError, match="no column 'src'.*'from'"):
        edge_list_extraction("d1", TEXT, EdgeListOptions(source_column="src"), path="x.csv")


def test_import_is_idempotent_and_survives_extract(tmp_path: Path) -> None:
    src = tmp_path / "ties.csv"
    src.write_bytes(TEXT.encode("cp1252"))
    with open_workspace(tmp_path / "ws", create=True) as ws:
        first = import_graph(ws, src, EdgeListOptions(type_column="kind"))
        ties = {t.id for t in ws.ties()}
        again = import_graph(ws, src, EdgeListOptions(type_column="kind"))
        assert again["document"] == first["document"]
        assert len(ws.documents()) == 1 and ws.documents()[0].kind == "edgelist"
        assert {t.id for t in ws.ties()} == ties
        assert extract_workspace(ws)["documents"] == 0  # the NLP extractor passes it over
        assert {t.id for t in ws.ties()} == ties


def test_nov13_names_are_read_from_latin1(nov13_edges: Path, tmp_path: Path) -> None:
    with open_workspace(tmp_path / "ws", create=True) as ws:
        result = import_graph(ws, nov13_edges)
        names = {e.name for e in ws.entities()}
        doc = ws.documents()[0]
        for t in ws.ties():
            for ev in t.evidence:
                assert doc.text[ev.start : ev.end] == ev.quote
    assert result["edges"] == 197 and result["nodes"] == 77 and not result["skipped"]
    assert "Omar Ismaël Mostefaï" in names
