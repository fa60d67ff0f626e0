"""The export formats written to a file: analysis JSON, FollowTheMoney, GraphML,
GEXF, CSV tables and the HTML report.

``threadline export`` and ``report``, the API's downloads and ``run``'s outputs all
write through :func:`write_format`. A format's renderer is imported when it is
asked for, so writing JSON does not load FollowTheMoney's model or the report's
templates.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from threadline.errors import ExportError

#: Output file names that ``write_outputs`` produces, by format.
OUTPUT_FILES = {
    "json": "threadline.json",
    "ftm": "entities.ftm.json",
    "graphml": "network.graphml",
    "gexf": "network.gexf",
    "csv": "csv",
    "report": "report.html",
}


def render_format(
    export: dict[str, Any], fmt: str, *, title: str = "threadline report"
) -> str | dict[str, str]:
    """One export format as text (``csv`` gives a dict of file name -> text)."""
    if fmt == "json":
        return json_text(export)
    if fmt == "ftm":
        # lazy: a format's renderer loads when that format is asked for
        from threadline.export.ftm import ftm_entities

        return "".join(json.dumps(e, ensure_ascii=False) + "\n" for e in ftm_entities(export))
    if fmt == "graphml":
        # lazy: a format's renderer loads when that format is asked for
        from threadline.export.graph_formats import to_graphml

        return to_graphml(export)
    if fmt == "gexf":
        # lazy: a format's renderer loads when that format is asked for
        from threadline.export.graph_formats import to_gexf

        return to_gexf(export)
    if fmt == "csv":
        # lazy: a format's renderer loads when that format is asked for
        from threadline.export.csv_export import to_csv_tables

        return to_csv_tables(export)
    if fmt == "report":
        # lazy: a format's renderer loads when that format is asked for
        from threadline.export.report import render_report

        return render_report(export, title=title)
    raise ExportError(f"unknown format '{fmt}': choose one of {', '.join(OUTPUT_FILES)}")


def json_text(data: Any) -> str:
    """``data`` as indented JSON text (UTF-8 kept as is).

    orjson writes it (Python's encoder with ``indent`` runs in pure Python: 0.5 s
    for the export of 5,000 person records, against 0.03 s); a value orjson does
    not take (an integer past 64 bits) falls back to Python's encoder.
    """
    return json_bytes(data).decode()


def json_bytes(data: Any) -> bytes:
    """:func:`json_text` as UTF-8 bytes, as orjson writes them (a file takes them as
    they are: no text to decode and encode again)."""
    import orjson

    try:
        return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS)
    except TypeError:  # orjson.JSONEncodeError is a TypeError
        return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def write_format(
    export: dict[str, Any], fmt: str, target: Path, *, title: str = "threadline report"
) -> None:
    """Write one format atomically (a temporary file renamed into place).

    ``csv`` writes a folder of tables at ``target``. Raises :class:`ExportError`
    for an unknown format or a target that cannot be written (a folder where a
    file should go, no permission, ...), naming the target.
    """
    content = json_bytes(export) if fmt == "json" else render_format(export, fmt, title=title)
    try:
        if isinstance(content, dict):
            if target.exists() and not target.is_dir():
                raise ExportError(f"cannot write {fmt} to '{target}': it is a file, not a folder")
            target.mkdir(parents=True, exist_ok=True)
            for name, text in content.items():
                _atomic_write(target / name, text)
        else:
            if target.is_dir():
                raise ExportError(
                    f"cannot write {fmt} to '{target}': it is a folder; give a file name"
                )
            _atomic_write(target, content)
    except OSError as exc:
        raise ExportError(f"cannot write {fmt} to '{target}': {exc.strerror or exc}") from exc


def _atomic_write(target: Path, text: str | bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        if isinstance(text, bytes):
            tmp.write_bytes(text)
        else:
            tmp.write_text(text, encoding="utf-8", newline="")
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)  # gone after the rename; removed after a failure
