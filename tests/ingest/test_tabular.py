"""Record files as rows: every bad row is named with its file (sheet) and row and the
rows around it are still read; memory stays flat as a file grows."""

from __future__ import annotations

import csv
import io
import json
import tracemalloc
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from threadline.errors import InputError
from threadline.ingest.tabular import (
    Row,
    RowProblem,
    Table,
    check_workbook,
    open_table,
    text_table,
)


def _read(table: Table, sheet: str | None = None) -> tuple[list[Row], list[RowProblem]]:
    rows: list[Row] = []
    problems: list[RowProblem] = []
    for item in table.rows(sheet):
        (rows if isinstance(item, Row) else problems).append(item)  # type: ignore[arg-type]
    return rows, problems


def _write(tmp_path: Path, name: str, data: bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


def test_csv_rows_are_numbered_as_a_spreadsheet_shows_them_with_their_text(tmp_path: Path) -> None:
    p = _write(
        tmp_path,
        "a.csv",
        b'name,city\r\nKarim Saadouni,Vremmingen\r\n"Benzakour, Hamza",Zandpoort\r\n',
    )
    table = open_table(p, "csv")
    rows, problems = _read(table)
    assert not problems
    assert [r.number for r in rows] == [2, 3]
    assert rows[1].cells == {"name": "Benzakour, Hamza", "city": "Zandpoort"}
    assert table.text is not None
    for r in rows:
        assert r.span is not None and table.text[r.span[0] : r.span[1]] == r.text
    assert rows[1].text == '"Benzakour, Hamza",Zandpoort'


@pytest.mark.parametrize(
    ("bom", "codec"),
    [(b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")],
)
def test_a_byte_order_mark_is_read_and_not_part_of_the_first_column(
    tmp_path: Path, bom: bytes, codec: str
) -> None:
    p = _write(tmp_path, "bom.csv", bom + "name,city\nAnaïs Dubois,Liège\n".encode(codec))
    table = open_table(p, "csv")
    assert table.sheets[0].header == ["name", "city"]
    rows, _ = _read(table)
    assert rows[0].cells == {"name": "Anaïs Dubois", "city": "Liège"}


def test_a_windows_1252_file_reads_right(tmp_path: Path) -> None:
    p = _write(
        tmp_path, "w.csv", "name;city\nAnaïs Dubois;Liège\nJosé Müller;Köln\n".encode("cp1252")
    )
    table = open_table(p, "csv")
    assert table.encoding == "cp1252" and table.delimiter == ";"
    rows, problems = _read(table)
    assert not problems and rows[1].cells["name"] == "José Müller"


def test_a_utf8_file_with_one_windows_1252_line_warns_about_that_row_only(tmp_path: Path) -> None:
    data = "name,city\nAnaïs Dubois,Liège\n".encode() + "José Müller,Köln\n".encode("cp1252")
    data += "Zoë Maes,Gent\n".encode()
    table = open_table(_write(tmp_path, "mixed.csv", data), "csv")
    rows, problems = _read(table)
    assert [r.cells["name"] for r in rows] == ["Anaïs Dubois", "José Müller", "Zoë Maes"]
    assert [(p.row, p.level) for p in problems] == [(3, "warning")]
    assert "mixed.csv, row 3" in str(problems[0]) and "Windows-1252" in problems[0].reason


def test_ragged_rows_are_refused_by_row_and_the_others_kept(tmp_path: Path) -> None:
    data = b"a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12,,\n13,14,15\n"
    rows, problems = _read(open_table(_write(tmp_path, "r.csv", data), "csv"))
    assert [r.number for r in rows] == [2, 5, 6]  # trailing empty cells are no harm
    assert [(p.row, p.level) for p in problems] == [(3, "error"), (4, "error")]
    assert "has 2 cells, the header has 3" in problems[0].reason
    assert "has 4 cells" in problems[1].reason


def test_an_unclosed_quote_is_refused_and_the_lines_it_swallowed_are_read_again(
    tmp_path: Path,
) -> None:
    data = b'name,city\nKarim,Vremmingen\n"Hamza,Zandpoort\nIlias,Zwartkaai\nMohamed,Kalverdijk\n'
    table = open_table(_write(tmp_path, "q.csv", data), "csv")
    rows, problems = _read(table)
    assert [r.cells["name"] for r in rows] == ["Karim", "Ilias", "Mohamed"]
    assert [(p.path, p.row) for p in problems] == [(str(tmp_path / "q.csv"), 3)]
    assert "never closed" in problems[0].reason and "line 5" in problems[0].reason
    # the rows read again keep their place in the text: each quote is its own line
    assert table.text is not None
    assert [table.text[r.span[0] : r.span[1]] for r in rows if r.span] == [
        "Karim,Vremmingen",
        "Ilias,Zwartkaai",
        "Mohamed,Kalverdijk",
    ]
    assert [r.number for r in rows] == [2, 4, 5]


def test_a_quote_closed_rows_later_does_not_swallow_them(tmp_path: Path) -> None:
    data = b'name,city\n"Hamza,Zandpoort\nIlias,Zwart"kaai\nMohamed,Kalverdijk\n'
    rows, problems = _read(open_table(_write(tmp_path, "q2.csv", data), "csv"))
    assert [r.cells["name"] for r in rows] == ["Ilias", "Mohamed"]
    assert [p.row for p in problems] == [2]


def test_a_quoted_cell_over_two_lines_is_one_cell(tmp_path: Path) -> None:
    data = b'name,note\nKarim,"seen twice,\nonce in May"\nIlias,none\n'
    rows, problems = _read(open_table(_write(tmp_path, "m.csv", data), "csv"))
    assert problems == []
    assert [r.cells["note"] for r in rows] == ["seen twice,\nonce in May", "none"]


def test_a_file_without_header_has_numbered_columns_and_every_row_is_data(
    tmp_path: Path,
) -> None:
    data = b"Karim;Ilias;met\nIlias;Hamza;called\n"
    table = open_table(_write(tmp_path, "e.csv", data), "csv", header_row=0, cell_spans=True)
    rows, problems = _read(table)
    assert table.sheets[0].header == ["0", "1", "2"]
    assert [r.cells for r in rows] == [
        {"0": "Karim", "1": "Ilias", "2": "met"},
        {"0": "Ilias", "1": "Hamza", "2": "called"},
    ]
    assert [r.number for r in rows] == [1, 2] and problems == []
    assert table.text is not None
    assert [[table.text[a:b] for a, b in r.spans or ()] for r in rows] == [
        ["Karim", "Ilias", "met"],
        ["Ilias", "Hamza", "called"],
    ]


def test_cell_spans_point_inside_quotes_and_past_doubled_quotes(tmp_path: Path) -> None:
    text = 'a,b\n"Karim ""K"" B",x\n  Ilias ,"y,z"\n'
    table = text_table(text, path="t.csv")
    rows, _ = _read(table)
    assert [[text[a:b] for a, b in r.spans or ()] for r in rows] == [
        ['Karim ""K"" B', "x"],
        ["  Ilias ", "y,z"],
    ]
    assert rows[0].cells["a"] == 'Karim "K" B'
    assert rows[1].where("b") == "row 3, column 'b'"


def test_a_cell_over_the_size_limit_is_a_malformed_row(tmp_path: Path) -> None:
    data = b'name,city\n"' + b"x" * 200_000 + b'",a\nKarim,Vremmingen\n'
    before = csv.field_size_limit(2**31 - 1)  # as some libraries leave it
    try:
        rows, problems = _read(open_table(_write(tmp_path, "big.csv", data), "csv"))
    finally:
        assert csv.field_size_limit(before) == 2**31 - 1  # given back as found
    assert problems and problems[0].row == 2 and "malformed CSV" in problems[0].reason
    assert [r.cells["name"] for r in rows] == ["Karim"]


def test_a_row_with_nul_bytes_is_refused_and_the_rest_read(tmp_path: Path) -> None:
    data = b"name,city\nKarim,Vremmingen\nHam\x00za,Zandpoort\nIlias,Zwartkaai\n"
    rows, problems = _read(open_table(_write(tmp_path, "nul.csv", data), "csv"))
    assert [r.cells["name"] for r in rows] == ["Karim", "Ilias"]
    assert problems[0].row == 3 and "NUL bytes" in problems[0].reason


def test_a_file_of_nul_bytes_is_refused_as_binary(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="binary file"):
        open_table(_write(tmp_path, "zero.csv", b"\x00" * 4096), "csv")


@pytest.mark.parametrize("data", [b"", b"\xef\xbb\xbf", b"\n\n  \n"])
def test_an_empty_file_is_refused_by_name(tmp_path: Path, data: bytes) -> None:
    with pytest.raises(InputError, match=r"e\.csv: empty file"):
        open_table(_write(tmp_path, "e.csv", data), "csv")


def test_blank_lines_are_not_rows(tmp_path: Path) -> None:
    rows, _ = _read(open_table(_write(tmp_path, "b.csv", b"a,b\n1,2\n\n3,4\n"), "csv"))
    assert [r.number for r in rows] == [2, 3]


def test_a_tsv_and_a_header_below_a_title_row(tmp_path: Path) -> None:
    p = _write(tmp_path, "t.tsv", b"Export of 13/11/2024\nname\tcity\nKarim\tVremmingen\n")
    table = open_table(p, "tsv", header_row=2)
    assert table.sheets[0].header == ["name", "city"]
    rows, _ = _read(table)
    assert rows[0].number == 3 and rows[0].cells["city"] == "Vremmingen"


def test_json_lines_name_each_bad_line_and_flatten_nested_keys(tmp_path: Path) -> None:
    data = b'{"id": 1, "match": {"person": "Karim"}}\n[1, 2]\n{"id": 3,\n\n{"id": 5, "match": {"person": null}}\n'
    table = open_table(_write(tmp_path, "f.jsonl", data), "jsonl")
    assert table.sheets[0].header == ["id", "match.person"]
    rows, problems = _read(table)
    assert [(r.number, r.cells.get("match.person")) for r in rows] == [(1, "Karim"), (5, "")]
    assert [(p.row, p.reason.split(" (")[0]) for p in problems] == [
        (2, "a JSON list, not an object"),
        (3, "not JSON"),
    ]


def test_a_json_array_under_a_key(tmp_path: Path) -> None:
    doc = {"export": {"records": [{"name": "Karim"}, "junk", {"name": "Ilias"}]}}
    p = _write(tmp_path, "r.json", json.dumps(doc).encode())
    table = open_table(p, "json", records="export.records")
    rows, problems = _read(table)
    assert [(r.number, r.cells["name"]) for r in rows] == [(1, "Karim"), (3, "Ilias")]
    assert problems[0].row == 2
    with pytest.raises(InputError, match="no 'export.rows'"):
        open_table(p, "json", records="export.rows")


def _workbook(path: Path) -> Path:
    import datetime as dt

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Forms"
    ws.append(["name", "phone", "born", "note"])
    ws.append(["Karim Saadouni", 32486558812, dt.date(1994, 3, 1), None])
    ws.append([None, None, None, None])
    ws.append(["Ilias Benzakour", "0478 20 33 90", "21/06/2000", '=HYPERLINK("http://x","y")'])
    ws.append(["Mohamed Tazrouti", None, None, None])
    text = ws.cell(row=5, column=4, value='=HYPERLINK("http://x","y")')
    text.data_type = "s"  # typed as text, as a hostile form would be
    other = wb.create_sheet("Later")
    other.append(["name", "phone"])
    other.append(["Mohamed Tazrouti", "0479 61 51 27"])
    wb.save(path)
    return path


def test_a_workbook_gives_sheet_and_row_and_plain_values(tmp_path: Path) -> None:
    table = open_table(_workbook(tmp_path / "w.xlsx"), "xlsx")
    assert [s.name for s in table.sheets] == ["Forms", "Later"]
    rows, problems = _read(table, "Forms")
    assert not problems
    assert [(r.sheet, r.number) for r in rows] == [("Forms", 2), ("Forms", 4), ("Forms", 5)]
    assert rows[0].cells["phone"] == "32486558812"  # a number cell, not 3.2486558812e10
    assert rows[0].cells["born"] == "1994-03-01"
    assert rows[1].cells["note"] == ""  # a formula is never evaluated (no saved value here)
    assert rows[2].cells["note"] == '=HYPERLINK("http://x","y")'  # text stays text
    later, _ = _read(table, "Later")
    assert later[0].sheet == "Later" and later[0].number == 2
    table.close()


def test_an_xlsx_zip_bomb_is_refused_before_anything_is_unpacked(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"<a>" + b"\x20" * (64 * 2**20) + b"</a>")
    p = _write(tmp_path, "bomb.xlsx", buffer.getvalue())
    assert p.stat().st_size < 1_000_000
    with pytest.raises(InputError, match="zip bomb"):
        open_table(p, "xlsx")


def test_a_workbook_part_with_entity_declarations_is_refused(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr(
            "xl/sharedStrings.xml",
            '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">]><sst>&lol;</sst>',
        )
    with pytest.raises(InputError, match="declares XML entities"):
        check_workbook(buffer.getvalue(), path="lol.xlsx")


def test_a_damaged_workbook_is_named(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"w\.xlsx: not a XLSX workbook"):
        open_table(_write(tmp_path, "w.xlsx", b"PK\x03\x04 not really"), "xlsx")


# -- property-based ------------------------------------------------------------------------

cell = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff"),
    max_size=12,
)


@settings(deadline=None)
@given(
    rows=st.lists(st.lists(cell, min_size=3, max_size=3), min_size=1, max_size=8),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16"]),
)
def test_any_table_written_by_a_csv_writer_reads_back_cell_for_cell(
    tmp_path_factory: pytest.TempPathFactory,
    rows: list[list[str]],
    delimiter: str,
    encoding: str,
) -> None:
    rows = [r for r in rows if any(c.strip() for c in r)]  # blank rows are not rows
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(["c1", "c2", "c3"])
    writer.writerows(rows)
    p = tmp_path_factory.mktemp("prop") / "t.csv"
    p.write_bytes(buffer.getvalue().encode(encoding))
    table = open_table(p, "csv", delimiter=delimiter)
    got, problems = _read(table)
    assert not [x for x in problems if x.level == "error"]
    assert [[r.cells[c] for c in ("c1", "c2", "c3")] for r in got] == rows
    assert [r.number for r in got] == list(range(2, 2 + len(rows)))


@settings(deadline=None)
@given(data=st.binary(max_size=400))
def test_any_bytes_either_read_or_fail_with_an_input_error(
    tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    p = tmp_path_factory.mktemp("bytes") / "x.csv"
    p.write_bytes(data)
    try:
        table = open_table(p, "csv")
    except InputError as exc:
        assert "x.csv" in str(exc)
        return
    for item in table.rows():
        assert isinstance(item, Row | RowProblem)
        if isinstance(item, RowProblem):
            assert item.row is not None and item.reason


# -- memory stays flat as the file grows ---------------------------------------------------


def _peak_reading(path: Path) -> tuple[int, int]:
    tracemalloc.start()
    n = 0
    for item in open_table(path, "csv", keep_text=0).rows():
        n += isinstance(item, Row)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return n, peak


def test_reading_a_csv_takes_flat_memory_as_it_grows(tmp_path: Path) -> None:
    peaks = []
    for rows in (8_000, 32_000):
        p = tmp_path / f"g{rows}.csv"
        with open(p, "w", encoding="utf-8") as fh:
            fh.write("caller,callee,start,duration\n")
            for i in range(rows):
                fh.write(
                    f"+3247{i % 9973:07d},+3248{i % 7919:07d},2024-11-09 18:{i % 60:02d}:00,{i % 900}\n"
                )
        n, peak = _peak_reading(p)
        assert n == rows
        peaks.append(peak)
    # four times the rows, (nearly) the same peak: nothing grows with the file
    assert peaks[1] < peaks[0] * 1.5 + 256 * 1024, peaks
