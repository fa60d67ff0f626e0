"""Fixtures for record files read through mappings: the shipped fictional samples,
read into one workspace in the order docs/sources.md reads them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from threadline.mappings import MAPPINGS, SAMPLES

#: (mapping, sample file), in the order the worked example reads them.
SAMPLE_ORDER = (
    ("membership", "membership.xlsx"),
    ("rentals", "rentals.csv"),
    ("subscribers", "subscribers.csv"),
    ("calls", "calls.csv"),
    ("crossings", "crossings.csv"),
    ("forensics", "forensics.jsonl"),
    ("events", "incidents.csv"),
)


@pytest.fixture(scope="module")
def samples_ws(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """Every sample read through its mapping, resolved and analysed; the export and the
    result of each ingest."""
    from threadline.export.json_export import build_export
    from threadline.ingest.mapping import load_mapping
    from threadline.pipeline import ingest_record_file
    from threadline.resolve.stage import resolve_workspace
    from threadline.store import open_workspace

    root = tmp_path_factory.mktemp("records")
    ws = open_workspace(root / "ws", create=True)
    results = {}
    for name, sample in SAMPLE_ORDER:
        results[name] = ingest_record_file(
            ws, SAMPLES / sample, load_mapping(MAPPINGS / f"{name}.yaml"), resolve=False
        )
    resolve_workspace(ws)
    export = build_export(ws)
    yield {"ws": ws, "root": root, "results": results, "export": export}
    ws.close()
