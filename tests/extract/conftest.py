"""Fixtures of the extraction tests: the language model and invented documents."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from threadline.extract import Extraction, extract_document
from threadline.extract.nlp import load_model
from threadline.ingest.segments import segment_text
from threadline.model import Document


@pytest.fixture(scope="session")
def nlp() -> Any:
    return load_model()


@pytest.fixture(scope="session")
def extract_written(nlp: Any) -> Callable[[str], Extraction]:
    """Extraction of one document written for a test (segmented as a plain text file)."""

    def run(text: str) -> Extraction:
        segments = [{"start": s.start, "end": s.end, "kind": s.kind} for s in segment_text(text)]
        doc = Document(
            id="d1", sha256="0" * 64, source="t.txt", kind="text", text=text, segments=segments
        )
        return extract_document(doc, nlp)

    return run
