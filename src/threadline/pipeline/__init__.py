"""The orchestrator: the one place that runs stages one after another.

Stages (``ingest``, ``extract``, ``resolve``, ``analyze``) are functions from data
to data; this package decides what runs, in which order and on which engine
(``run --engine spark``), and what runs again after a change
(:mod:`threadline.pipeline.reruns`). The CLI, the demo and the API call it.
"""

from threadline.export.formats import OUTPUT_FILES, render_format, write_format
from threadline.pipeline.records import assign_phone, ingest_record_file
from threadline.pipeline.reruns import AFTER, rerun
from threadline.pipeline.workflow import (
    RunSummary,
    import_graph,
    process,
    retract,
    run,
    write_outputs,
)

__all__ = [
    "AFTER",
    "OUTPUT_FILES",
    "RunSummary",
    "assign_phone",
    "import_graph",
    "ingest_record_file",
    "process",
    "render_format",
    "rerun",
    "retract",
    "run",
    "write_format",
    "write_outputs",
]
