"""The extract stage over a workspace: each document in its own transaction.

Documents are independent, so the stage can spread them over worker processes
(``processes``): each worker loads the spaCy model once (inherited from the
parent under ``fork``), extracts whole documents and sends the results back;
the parent alone writes the store, in the documents' order, one transaction per
document. The output does not depend on the number of processes.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import os
from collections.abc import Callable, Iterator, Sequence

from threadline.extract.nlp import DEFAULT_MODEL, MODELS, load_model
from threadline.extract.pipeline import EXTRACTOR, Extraction, extract_document
from threadline.ingest.reading import is_readable
from threadline.model import Document, lexicon
from threadline.model.vocabulary import NON_PROSE_KINDS
from threadline.store import Workspace

Progress = Callable[[int, int], None]
log = logging.getLogger(__name__)

#: Below this many documents per process, a worker pool costs more than it saves.
MIN_DOCS_PER_PROCESS = 8


def auto_processes(n_docs: int) -> int:
    """Worker processes worth starting for ``n_docs`` documents on this machine."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, n_docs // MIN_DOCS_PER_PROCESS))


def _model_for(doc: Document, model: str) -> str:
    return MODELS.get(doc.language or "", model)


def _extract_in_worker(job: tuple[Document, str]) -> Extraction:
    doc, model = job
    return extract_document(doc, load_model(model))


def extract_many(
    docs: Sequence[Document],
    *,
    model: str = DEFAULT_MODEL,
    processes: int = 1,
    min_docs_per_process: int = MIN_DOCS_PER_PROCESS,
) -> Iterator[Extraction]:
    """Extractions of ``docs``, in their order, over ``processes`` worker processes.

    ``processes=0`` picks a number from the machine's cores and the batch size.
    With one process (or fewer than ``min_docs_per_process`` documents for each)
    everything runs here.
    """
    if processes <= 0:
        processes = auto_processes(len(docs))
    processes = min(processes, max(1, len(docs) // max(1, min_docs_per_process)))
    if processes <= 1:
        for doc in docs:
            yield extract_document(doc, load_model(_model_for(doc, model)))
        return
    for name in {_model_for(d, model) for d in docs}:
        load_model(name)  # loaded once here; forked workers share its pages
    lexicon.warm()  # the word lists too, instead of one copy per worker
    method = "fork" if "fork" in mp.get_all_start_methods() else None
    chunk = max(1, min(16, len(docs) // (processes * 8)))
    with mp.get_context(method).Pool(processes) as pool:
        jobs = ((d, _model_for(d, model)) for d in docs)
        yield from pool.imap(_extract_in_worker, jobs, chunksize=chunk)


def extract_workspace(
    ws: Workspace,
    *,
    force: bool = False,
    model: str = DEFAULT_MODEL,
    progress: Progress | None = None,
    processes: int = 1,
) -> dict[str, int]:
    """Extract every document not yet extracted by this extractor version.

    Each document's results replace its previous ones atomically, so a run
    stopped midway keeps every document either fully old or fully new.
    ``processes`` spreads the documents over worker processes (0: as many as
    the machine's cores and the number of documents make worthwhile).
    A document the reading view cannot lay out is extracted as stored, logged
    by name and counted as ``read_as_stored``.
    """
    done = set() if force else ws.extracted_documents(EXTRACTOR)
    todo = [d for d in ws.documents() if d.id not in done and d.kind not in NON_PROSE_KINDS]
    counts = {"documents": 0, "mentions": 0, "assertions": 0, "claims": 0}
    if not todo:
        return counts
    as_stored = [d for d in todo if not is_readable(d.text)]
    for d in as_stored:  # named, never dropped: extracted from the text as it is
        log.warning(
            "%s (%s): no reading view (a very long line or binary-looking text); "
            "extracted from the stored text as it is",
            d.id,
            d.source,
        )
    if as_stored:
        counts["read_as_stored"] = len(as_stored)
    results = extract_many(todo, model=model, processes=processes)
    for i, (doc, result) in enumerate(zip(todo, results, strict=True)):
        with ws.transaction():
            ws.replace_extraction(
                doc.id, EXTRACTOR, result.mentions, result.assertions, result.claims
            )
        counts["documents"] += 1
        counts["mentions"] += len(result.mentions)
        counts["assertions"] += len(result.assertions)
        counts["claims"] += len(result.claims)
        if progress:
            progress(i + 1, len(todo))
    return counts
