"""Edge lists as graph-only sources: every tie's evidence is the file's row, quoted exactly;
bad rows are named and skipped, the rest kept."""

from __future__ import annotations

from pathlib import Path

import pytest

from threadline.errors import InputError
from threadline.extract.stage import extract_workspace
from threadline.ingest.edgelist import EdgeListOptions, edge_list_extraction
from threadline.ingest.tabular import Row, text_table
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


def test_edge_lists_are_read_by_the_table_reader_with_exact_cell_spans() -> None:
    table = text_table(TEXT, path="ties.csv", delimiter=";")
    rows = [r for r in table.rows() if isinstance(r, Row)]
    assert len(rows) == 5  # "5;Lena Marsh" has too few cells: refused by the reader
    for row in rows:
        assert row.spans is not None
        for value, (start, end) in zip(row.cells.values(), row.spans, strict=True):
            assert TEXT[start:end].replace('""', '"') == value
    assert rows[0].number == 2 and rows[0].cells["from"] == 'Tarik "T" Benhadi'


def test_an_unclosed_quote_in_an_edge_list_costs_its_row_only() -> None:
    text = 'from,to\nOmar Zeroual,Karim Fadili\n"Lena Marsh,Sean Obi\nKarim Fadili,Lena Marsh\n'
    out = edge_list_extraction("d1", text, EdgeListOptions(), path="q.csv")
    assert [(r, "never closed" in why) for r, why in out.skipped] == [(3, True)]
    assert [(a.evidence.row, a.evidence.quote) for a in out.assertions] == [
        (2, "Omar Zeroual,Karim Fadili"),
        (4, "Karim Fadili,Lena Marsh"),
    ]
    for m in out.mentions:
        assert text[m.start : m.end] == m.text


def test_an_edge_list_without_header_names_its_columns_by_position() -> None:
    text = "Omar Zeroual;Karim Fadili;family\nKarim Fadili;Lena Marsh;associate\n"
    options = EdgeListOptions(header=False, source_column="0", target_column="1", type_column="2")
    out = edge_list_extraction("d1", text, options, path="n.csv")
    assert out.columns == ("0", "1", "2") and out.rows == 2 and out.skipped == []
    assert [(a.type, a.evidence.row) for a in out.assertions] == [("family", 1), ("associate", 2)]


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
