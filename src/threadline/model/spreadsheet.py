"""Values for spreadsheets: a cell that no spreadsheet runs as a formula.

Both the CSV export (``threadline.export.csv_export``) and the ingest report of a
record file (``threadline.ingest.report``) write cells that quote hostile files.
"""

from __future__ import annotations

from typing import Any

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> str | int | float:
    """A CSV cell that no spreadsheet will run as a formula.

    Numbers stay numbers; ``None`` is an empty cell; booleans are ``true`` /
    ``false``; lists are joined with ``"; "``; text starting with a formula
    character gets a leading apostrophe.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return value
    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value)
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text
