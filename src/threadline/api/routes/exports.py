"""Exports of the whole workspace, in every format the CLI writes."""

from __future__ import annotations

import io
import zipfile
from typing import Annotated

from fastapi import APIRouter, Path
from fastapi.responses import Response

from threadline.api.deps import WorkbenchDep
from threadline.export.formats import OUTPUT_FILES, render_format
from threadline.export.json_export import build_export

router = APIRouter(tags=["exports"])

_MEDIA = {
    "json": ("application/json", "threadline.json"),
    "ftm": ("application/x-ndjson", "entities.ftm.json"),
    "graphml": ("application/xml", "network.graphml"),
    "gexf": ("application/xml", "network.gexf"),
    "csv": ("application/zip", "threadline-csv.zip"),
    "report": ("text/html", "report.html"),
}
FORMAT_PATTERN = "^(" + "|".join(OUTPUT_FILES) + ")$"


@router.get(
    "/exports/{fmt}",
    summary="Download an export",
    response_class=Response,
    responses={200: {"content": {m: {} for m, _ in _MEDIA.values()}}},
)
def export(
    wb: WorkbenchDep,
    fmt: Annotated[str, Path(pattern=FORMAT_PATTERN, description=", ".join(OUTPUT_FILES))],
) -> Response:
    """The analysis JSON, FollowTheMoney lines, GraphML or GEXF for Gephi, the CSV
    tables for i2 (one zip) or the self-contained HTML report, as an attachment."""
    with wb.database() as ws:
        data = build_export(ws)
    content = render_format(data, fmt)
    media, name = _MEDIA[fmt]
    if isinstance(content, dict):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for file_name, text in sorted(content.items()):
                archive.writestr(file_name, text)
        body = buffer.getvalue()
    else:
        body = content.encode("utf-8")
    return Response(
        body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
