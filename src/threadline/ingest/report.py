"""The ingest report of a record file: which rows were accepted, which refused and
why, which were read with a warning (``threadline ingest-records --report FILE``).

Accepted rows are written as runs (``2-10001``), so the report of ten million
call records stays small; every refused row and every warning has a line of its
own. The report is CSV, and its cells quote hostile files: each one goes
through :func:`threadline.model.spreadsheet.safe_cell`, so no spreadsheet runs a
value as a formula.
"""

from __future__ import annotations

import csv
import io
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from threadline.ingest.tabular import RowProblem
from threadline.model.spreadsheet import safe_cell

REPORT_COLUMNS = ("file", "sheet", "rows", "status", "reason")


@dataclass
class RowRuns:
    """Row numbers as runs of consecutive rows, per sheet, in the order they came."""

    runs: list[list[object]] = field(default_factory=list)  # [sheet, first, last]
    count: int = 0

    def add(self, sheet: str | None, row: int) -> None:
        self.count += 1
        if self.runs:
            last = self.runs[-1]
            if last[0] == sheet and last[2] == row - 1:
                last[2] = row
                return
        self.runs.append([sheet, row, row])

    def add_run(self, sheet: str | None, first: int, last: int) -> None:
        self.count += last - first + 1
        self.runs.append([sheet, first, last])

    def __iter__(self) -> Iterator[tuple[str | None, int, int]]:
        for sheet, first, last in self.runs:
            yield (None if sheet is None else str(sheet)), int(str(first)), int(str(last))


def write_report(
    target: str | os.PathLike[str],
    path: str,
    accepted: RowRuns,
    problems: Iterable[RowProblem],
) -> int:
    """Write the report CSV to ``target``; returns the number of lines written."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(REPORT_COLUMNS)
    lines = 0
    rows: list[tuple[str | None, int, int, str, str]] = [
        (sheet, first, last, "accepted", "") for sheet, first, last in accepted
    ]
    for p in problems:
        status = "refused" if p.level == "error" else "warning"
        row = p.row if p.row is not None else 0
        rows.append((p.sheet, row, row, status, p.reason))
    rows.sort(key=lambda r: (r[0] or "", r[1], r[3] != "accepted"))
    for sheet, first, last, status, reason in rows:
        span = "" if first == 0 else str(first) if first == last else f"{first}-{last}"
        writer.writerow([safe_cell(v) for v in (path, sheet, span, status, reason)])
        lines += 1
    Path(target).write_text(buffer.getvalue(), encoding="utf-8")
    return lines
