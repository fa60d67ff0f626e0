"""The extract stage over a workspace: each document in its own transaction."""

from __future__ import annotations

from collections.abc import Callable

from threadline.extract.nlp import DEFAULT_MODEL, MODELS, load_model
from threadline.extract.pipeline import EXTRACTOR, extract_document
from threadline.model.vocabulary import NON_PROSE_KINDS
from threadline.store import Workspace

Progress = Callable[[int, int], None]


def extract_workspace(
    ws: Workspace,
    *,
    force: bool = False,
    model: str = DEFAULT_MODEL,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Extract every document not yet extracted by this extractor version.

    Each document's results replace its previous ones atomically, so a run
    stopped midway keeps every document either fully old or fully new.
    """
    done = set() if force else ws.extracted_documents(EXTRACTOR)
    todo = [d for d in ws.documents() if d.id not in done and d.kind not in NON_PROSE_KINDS]
    counts = {"documents": 0, "mentions": 0, "assertions": 0, "claims": 0}
    if not todo:
        return counts
    for i, doc in enumerate(todo):
        nlp = load_model(MODELS.get(doc.language or "", model))
        result = extract_document(doc, nlp)
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
